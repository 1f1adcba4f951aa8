/** The Binhai rulebook as its file (rulebooks/binhai/2021-10.json) writes it, under the name tests know it by. */
import { rulebookFileData } from './index';

export const binhai2021 = rulebookFileData('rulebooks/binhai/2021-10.json');
