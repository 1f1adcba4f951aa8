/** Paths of the pinned Temporal binaries that scripts/tools.mjs installs. */
import path from 'node:path';

const venvBin = path.resolve(__dirname, '..', '..', '.tools', 'venv', 'bin');
export const temporalCliPath = path.join(venvBin, 'temporal');
export const temporalTestServerPath = path.join(venvBin, 'temporal-test-server');
