/** The Yangjiang rulebook as its file (rulebooks/yangjiang/2017-05.json) writes it, under the name tests know it by. */
import { rulebookFileData } from './index';

export const yangjiang2017 = rulebookFileData('rulebooks/yangjiang/2017-05.json');
