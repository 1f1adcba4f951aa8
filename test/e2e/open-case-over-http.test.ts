/**
 * The real stack end to end: a case opened over HTTP starts its workflow on
 * the Temporal dev server, is read back through the API, and shows up in
 * Temporal visibility with its search attributes, as ops see it in the UI.
 */
import request from 'supertest';
import { addDays, beijingDate } from '../../domain/calendar';
import { searchAttributes } from '../../domain/case/contract';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let officer: string;

beforeAll(async () => {
  stack = await startStack();
  officer = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'officer-1', name: '李办案' });
});
afterAll(() => stack?.stop());

const newCase = (eventDate: string) => ({
  jurisdiction: 'binhai',
  subject: { name: '王某', organisation: '滨海新区某街道党工委', position: '副主任' },
  matter: '推进老旧小区改造中先行先试，程序存在瑕疵',
  accountability: { reference: '滨纪问〔2026〕12号', body: '滨海新区纪委监委' },
  eventDate,
});

describe('opening a Binhai case over HTTP', () => {
  it('answers 201 with a readable case id and Location, and the case reads back in its application window', async () => {
    const today = beijingDate(Date.now());
    const created = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).send(newCase(today));
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^case-binhai-\d{4}-\d{4}$/);
    expect(created.headers.location).toBe(`http://rongcuo.test/v1/cases/${created.body.id}`);

    const state = await eventually(async () => {
      const read = await request(stack.app).get(`/v1/cases/${created.body.id}`).set('Authorization', `Bearer ${officer}`);
      expect(read.status).toBe(200);
      expect(read.body.deadlines).toHaveLength(1);
      return read.body;
    });
    expect(state).toMatchObject({
      caseId: created.body.id,
      jurisdiction: 'binhai',
      authority: 'binhai-jw',
      stage: 'application',
      deadlines: [{ key: 'application', from: today, amount: 7, unit: 'workingDays', basis: { article: '第十二条(二)' } }],
    });
    expect(state.timeline[0]).toMatchObject({ event: 'caseOpened', actor: { sub: 'officer-1', name: '李办案' } });
  });

  it('is found by ops in Temporal visibility by jurisdiction and stage, with no personal data in its id or attributes', async () => {
    const created = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${officer}`)
      .send(newCase(beijingDate(Date.now())));
    const id: string = created.body.id;
    const found = await eventually(async () => {
      const list = [];
      for await (const wf of stack.env.client.workflow.list({
        query: `Jurisdiction = "binhai" AND Stage = "application" AND CaseId = "${id}"`,
      })) {
        list.push(wf);
      }
      expect(list).toHaveLength(1);
      expect(list[0]!.typedSearchAttributes.get(searchAttributes.nextDeadline)).toBeInstanceOf(Date);
      return list[0]!;
    });
    const attributes = JSON.stringify(found.typedSearchAttributes.getAll());
    expect(`${found.workflowId} ${attributes}`).not.toMatch(/王某|滨海新区某街道党工委|副主任/);
  });

  it('refuses a matter that names the subject or carries an ID number, since operators see the matter', async () => {
    const body = newCase(beijingDate(Date.now()));
    for (const matter of ['王某在老旧小区改造中的程序瑕疵', '身份证号12010119800101123X相关事项']) {
      const res = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).send({ ...body, matter });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.matter']);
    }
  });

  it('gives a retried request with the same Idempotency-Key the same case, and refuses the key with another body', async () => {
    const body = newCase(beijingDate(Date.now()));
    const send = (b: object) =>
      request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).set('Idempotency-Key', 'retry-1').send(b);
    const first = await send(body);
    const retry = await send(body);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    const other = await send({ ...body, matter: '另一事项' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
  });

  it('hides a case from another authority behind 404, and needs a token and the officer role to open one', async () => {
    const created = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${officer}`)
      .send(newCase(beijingDate(Date.now())));
    const stranger = await stack.token({ roles: ['auditor'], authority: 'hangzhou-jyj' });
    const hidden = await request(stack.app).get(`/v1/cases/${created.body.id}`).set('Authorization', `Bearer ${stranger}`);
    expect(hidden.status).toBe(404);
    expect(hidden.headers['content-type']).toContain('application/problem+json');

    expect((await request(stack.app).post('/v1/cases').send(newCase('2026-01-05'))).status).toBe(401);
    const auditor = await stack.token({ roles: ['auditor'], authority: 'binhai-jw' });
    const refused = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${auditor}`).send(newCase('2026-01-05'));
    expect(refused.status).toBe(403);
    expect(refused.body.requiredRoles).toEqual(['officer']);
  });

  it('answers a malformed body with 400 naming every bad field', async () => {
    const bad = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${officer}`)
      .send({ jurisdiction: 'atlantis', subject: { name: '' }, matter: '事项', accountability: {}, eventDate: '2026-02-30' });
    expect(bad.status).toBe(400);
    const fields = bad.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['body.jurisdiction', 'body.subject.name', 'body.subject.organisation', 'body.accountability.reference', 'body.eventDate']),
    );
  });

  it('refuses an event date before the rulebook came into force, naming both dates (a mistyped year)', async () => {
    const res = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).send(newCase('2019-11-20'));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'body.eventDate', message: expect.stringMatching(/2021-10-11.*2019-11-20/) }]);
  });

  it('asks for confirmation before opening a case whose application window has already run out, and opens it once confirmed', async () => {
    const eventDate = addDays(beijingDate(Date.now()), -60);
    const unconfirmed = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).send(newCase(eventDate));
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.code).toBe('window_already_lapsed');
    expect(unconfirmed.body.errors[0].field).toBe('body.confirmLapsedWindow');
    expect(unconfirmed.body.detail).toContain('第十二条(二)');
    expect(unconfirmed.body.window).toMatchObject({ deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), article: '第十二条(二)' });
    const confirmed = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).send({ ...newCase(eventDate), confirmLapsedWindow: true });
    expect(confirmed.status).toBe(201);
  });

  it('refuses an event date in the future as in the future, not as late', async () => {
    const res = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).send(newCase(addDays(beijingDate(Date.now()), 3)));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'body.eventDate', message: expect.stringContaining('in the future') }]);
  });

  it('opens a Binhai case ex officio, as 第十二条(一) has the authority consider tolerance of its own motion', async () => {
    const created = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).send({ ...newCase(beijingDate(Date.now())), route: 'exOfficio' });
    expect(created.status).toBe(201);
  });

  it('records the facts the rulebook declares, and refuses any it does not (滨海 第三章 specialZone)', async () => {
    const body = newCase(beijingDate(Date.now()));
    const zone = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).send({ ...body, attributes: { specialZone: true } });
    expect(zone.status).toBe(201);
    const unknown = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).send({ ...body, attributes: { seaside: true } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'body.attributes.seaside', message: expect.stringContaining('specialZone') })]);
  });

  it('needs the deciding level of a Yangjiang case, since a county decision must be filed with the city group (二(三)4)', async () => {
    const yangjiang = { ...newCase(beijingDate(Date.now())), jurisdiction: 'yangjiang', route: 'application' };
    // An officer of Yangjiang's own authority: an authority opens cases only under its jurisdiction.
    const officer = await stack.token({ roles: ['officer'], authority: 'yangjiang-jw', sub: 'yj-officer', name: '林办案' });
    const missing = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).send(yangjiang);
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ field: 'body.level', message: expect.stringContaining('二(三)4') }]);
    const county = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).send({ ...yangjiang, level: 'county' });
    expect(county.status).toBe(201);
  });

  it('names the opening event the rulebook counts from, in the rulebook list and on the case', async () => {
    const books = await request(stack.app).get('/v1/rulebooks').set('Authorization', `Bearer ${officer}`);
    const labels = Object.fromEntries(books.body.rulebooks.map((b: { id: string; openingEvent: { label: string } }) => [b.id, b.openingEvent.label]));
    expect(labels).toMatchObject({ binhai: '问责部门告知日', yinchuan: '启动追责程序日', 'hangzhou-education': '局党委启动问责程序日' });
    const today = beijingDate(Date.now());
    const created = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).send(newCase(today));
    const opened = await eventually(async () => {
      const read = await request(stack.app).get(`/v1/cases/${created.body.id}`).set('Authorization', `Bearer ${officer}`);
      expect(read.status).toBe(200);
      return read.body.timeline[0];
    });
    expect(opened).toMatchObject({ event: 'caseOpened', detail: expect.stringContaining(`问责部门告知日：${today}`), basis: { article: '第十二条(二)' } });
  });
});

describe('the documented contract', () => {
  it('serves an OpenAPI 3.1 document that lists every case action and the calendar routes', async () => {
    const res = await request(stack.app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/v1/cases', '/v1/cases/{id}', '/v1/cases/{id}/actions/fileApplication', '/v1/calendar/deadline', '/v1/calendar/years/{year}']),
    );
    const open = res.body.paths['/v1/cases'].post.requestBody.content['application/json'].schema;
    expect(open.required).toEqual(expect.arrayContaining(['jurisdiction', 'subject', 'matter', 'accountability', 'eventDate']));
  });

  it('serves the interactive docs page with its assets from the package, without a token', async () => {
    const page = await request(stack.app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/docs/assets/swagger-ui-bundle.js');
    const bundle = await request(stack.app).get('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toContain('javascript');
  });

  it('answers an unknown route, a wrong content type and malformed JSON as problems', async () => {
    const unknown = await request(stack.app).get('/v1/nothing-here').set('Authorization', `Bearer ${officer}`);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
    const text = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).set('Content-Type', 'text/plain').send('hi');
    expect([text.status, text.body.code]).toEqual([415, 'unsupported_media_type']);
    const broken = await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).set('Content-Type', 'application/json').send('{"jurisdiction":');
    expect([broken.status, broken.body.code]).toEqual([400, 'malformed_json']);
    const english = await request(stack.app).get('/v1/nothing-here').set('Authorization', `Bearer ${officer}`).set('Accept-Language', 'en');
    expect(english.body.detail).toBe('Not found: GET /v1/nothing-here');
  });
});

describe('listing cases from Temporal visibility', () => {
  it('filters by jurisdiction, stage, overdue, deadline and words of the matter, pages, and shows only the caller’s authority', async () => {
    const today = beijingDate(Date.now());
    for (const matter of ['城市更新中的审批瑕疵', '城市更新中的资金拨付', '招商引资先期投入']) {
      await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${officer}`).send({ ...newCase(today), matter }).expect(201);
    }
    const list = (query: Record<string, string | number>, token = officer) =>
      request(stack.app).get('/v1/cases').query(query).set('Authorization', `Bearer ${token}`);

    const urban = await eventually(async () => {
      const res = await list({ jurisdiction: 'binhai', stage: 'application', q: '城市更新' });
      expect(res.status).toBe(200);
      expect(res.body.cases.map((c: { matter: string }) => c.matter).sort()).toEqual(['城市更新中的审批瑕疵', '城市更新中的资金拨付']);
      // The deadline attribute comes from the workflow a moment after the case starts.
      for (const c of res.body.cases) expect(c.nextDeadline).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      return res.body.cases;
    });
    expect(urban[0]).toMatchObject({ jurisdiction: 'binhai', stage: 'application', overdue: false, outcome: null });

    const first = await list({ jurisdiction: 'binhai', pageSize: 2 });
    expect(first.body.cases).toHaveLength(2);
    expect(first.body.nextPageToken).toEqual(expect.any(String));
    const second = await list({ jurisdiction: 'binhai', pageSize: 2, pageToken: first.body.nextPageToken });
    expect(second.body.cases.length).toBeGreaterThan(0);
    expect(second.body.cases.map((c: { id: string }) => c.id)).not.toContain(first.body.cases[0].id);

    expect((await list({ overdue: 'true' })).body.cases).toEqual([]);
    expect((await list({ deadlineBefore: today })).body.cases).toEqual([]);
    expect((await list({ deadlineBefore: '2099-01-01' })).body.cases.length).toBeGreaterThanOrEqual(3);

    const stranger = await stack.token({ roles: ['auditor'], authority: 'hangzhou-jyj' });
    expect((await list({}, stranger)).body.cases).toEqual([]);
    const bad = await list({ stage: 'x" OR Authority != "' });
    expect([bad.status, bad.body.errors[0].field]).toEqual([400, 'query.stage']);
  });
});
