/**
 * All activities, built by one factory from the dependencies the worker
 * injects. Workflows import only the type.
 */
import type { Client } from '@temporalio/client';
import { loadAuthorities, type Authorities } from '../config/authorities';
import type { YearSchedule } from '../domain/calendar';
import { libreOfficeRenderer, type ArchivalRenderer } from '../services/documents/render-pdf';
import type { Db } from '../store/db';
import type { PayloadKeyring } from '../services/codec/keys';
import { accessLogActivities } from './access-log';
import { calendarActivities } from './calendar';
import { caseFileActivities } from './case-file';
import { caseFleetActivities } from './cases';
import { documentActivities } from './documents';
import { dossierActivities } from './dossiers';
import { noticeActivities, type NoticeSettings } from './notices';

export interface ActivityDependencies {
  db: Db;
  client: Client;
  /** The published holiday schedules; the package's unless a test narrows them. */
  publishedSchedules?: ReadonlyMap<number, YearSchedule>;
  /** The channels notices take besides the inbox; inbox only unless configured. */
  notices?: NoticeSettings;
  /** The authorities documents name; the embedded default unless configured. */
  authorities?: Authorities;
  /** Renders the archival PDF copies; LibreOffice headless unless given. */
  archivalRenderer?: ArchivalRenderer;
  /** The payload keys, which seal the case file's materials and bound file at rest. */
  payloadKeys?: PayloadKeyring;
}

export function createActivities(deps: ActivityDependencies) {
  const authorities = deps.authorities ?? loadAuthorities();
  const renderer = deps.archivalRenderer ?? libreOfficeRenderer();
  return {
    ...caseFileActivities(deps.db, { keyring: deps.payloadKeys, renderer, authorities }),
    ...calendarActivities({ db: deps.db, published: deps.publishedSchedules }),
    ...caseFleetActivities(deps.client, deps.db),
    ...documentActivities(deps.db, { authorities, renderer }),
    ...dossierActivities(deps.client, deps.db, { keyring: deps.payloadKeys, renderer, authorities }),
    ...noticeActivities(deps.db, deps.client, deps.notices),
    ...accessLogActivities(deps.db),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { DeadlineRequest } from './calendar';
