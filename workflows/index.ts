export { exemptionReview } from './exemption-review';
export { propagateCalendarYear } from './calendar-propagation';
export { sweepDossiers } from './dossier-sweep';
export { retainAccessLog } from './access-log-retention';
