/**
 * The human steps of a case. Every step is a Workflow Update whose handler is
 * registered once, at the start; a building block offers the steps that are
 * open at its point of the procedure and withdraws them when done. The
 * validator refuses, with a stable type and the article it rests on, anything
 * not on offer, by a role the rulebook does not give it to, by someone who
 * must recuse, or that the block's own checks reject: a refused update never
 * reaches the handler, so it leaves no trace in the case.
 *
 * A step can arrive while the case is still moving on by itself: just opened
 * and counting its first deadline, or issuing the documents of the step
 * before. Refusing it then as "wrong stage" would refuse an officer for being
 * quick. Such a step is accepted and waits until the case comes to rest (it
 * waits for a person or for time), and is decided then, against the steps on
 * offer at that point.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import {
  ACTION_NAMES,
  actionUpdate,
  RefusalType,
  type ActionInputs,
  type ActionName,
  type Actor,
  type DeadlineRecord,
  type StepResult,
} from '../../domain/case/contract';
import { isPartyFiling, PARTY_FILINGS, PARTY_ROLE, partyOfAccount } from '../../domain/case/people';
import { samePerson } from '../../domain/case/persons';
import { normaliseText } from '../../domain/case/text';
import type { Basis, Party, Rulebook } from '../../domain/rulebooks/schema';
import type { CaseFile } from './case-file';
import type { Journal } from './journal';
import { carriesPapers, checkPapers, recordPapers } from './papers';

export interface Offer<N extends ActionName> {
  label: string;
  roles: readonly string[];
  /** The deadline the action is due by, shown to callers. */
  deadline?: DeadlineRecord;
  /**
   * The parties that may take the step themselves, with their own account bound to the case (a
   * filing the rulebook lets that party make); validated exactly as when an officer records it.
   */
  filers?: readonly Party[];
  /** Throws a refusal (see `refuse`) when the input cannot be accepted now. */
  validate?: (input: ActionInputs[N]) => void;
  apply: (input: ActionInputs[N]) => void | Promise<void>;
}

export function refuse(type: (typeof RefusalType)[keyof typeof RefusalType], message: string, basis?: Basis): never {
  throw ApplicationFailure.create({
    type,
    message: basis ? `${message}（${basis.article}）` : message,
    details: basis ? [{ basis }] : [],
    nonRetryable: true,
  });
}

export class Actions {
  private readonly offers = new Map<ActionName, Offer<ActionName>>();
  /** A party's window that has lapsed keeps answering as out of time, not as the wrong stage. */
  private readonly closedWindows = new Map<ActionName, { message: string; basis: Basis }>();
  /** How many waits for a person or for time are under way; the case is at rest while any is. */
  private readonly main: Line = { rests: 0 };
  /** Steps running beside the main line, each with its own waits (see `inLane`). */
  private readonly lanes = new Set<Line>();
  private mainLineDone = false;
  /**
   * Steps newly on offer this turn, told once the turn's work is done (work-notices.ts). One object
   * shared with the lanes' views (inLane), which would otherwise write flags of their own.
   */
  private readonly waiting: { queue: ActionName[]; scheduled: boolean; tell?: (names: ActionName[]) => void } = { queue: [], scheduled: false };

  constructor(
    private readonly file: CaseFile,
    private readonly rulebook: Rulebook,
    private readonly journal: Journal,
  ) {
    for (const name of ACTION_NAMES) {
      journal.handleUpdate(
        actionUpdate(name),
        (input: ActionInputs[typeof name]) => {
          // Accepted while the case was moving on: decided once it comes to rest.
          if (!this.offers.has(name) && !this.file.state.closed) return journal.until(() => this.atRest || this.file.state.closed).then(() => this.take(name, input));
          return this.take(name, input);
        },
        (input: ActionInputs[typeof name]) => this.validate(name, input, { early: !this.atRest }),
      );
    }
  }

  /**
   * Takes a step in its turn, decided again (a step accepted in the same moment as another is taken
   * after it): synchronously where its offer applies it so, which most steps' offers do.
   */
  private take(name: ActionName, input: ActionInputs[ActionName]): StepResult | Promise<StepResult> {
    this.validate(name, input);
    const applied = this.offers.get(name)!.apply(input);
    const answer = () => {
      // The papers the step carried go on the case's file with it (attachPapers records its own).
      if (carriesPapers(name)) recordPapers(this.file, this.rulebook, name, input);
      this.file.publish();
      return this.file.stepResult();
    };
    return applied instanceof Promise ? applied.then(answer) : answer();
  }

  /**
   * The case waits for a person or for time: nothing moves until a step is taken or a timer fires.
   * Where steps run beside the main line, every line must be waiting (a line still moving may be
   * about to offer the step that arrived early); a case with none is at rest as it always was.
   */
  get atRest(): boolean {
    if (this.lanes.size === 0 && !this.mainLineDone) return this.main.rests > 0;
    return (this.mainLineDone || this.main.rests > 0) && [...this.lanes].every((lane) => lane.rests > 0);
  }

  /**
   * The actions as a step running beside the main line sees them: the same offers, but its waits
   * count for its own line. `leave` when the step is done.
   */
  inLane(): { actions: Actions; leave: () => void } {
    const lane: Line = { rests: 0 };
    this.lanes.add(lane);
    const view = Object.create(this) as Actions;
    view.rest = () => restOn(lane);
    return { actions: view, leave: () => void this.lanes.delete(lane) };
  }

  /** The main line has run its course; only the steps beside it may still be moving. */
  endMainLine(): void {
    this.mainLineDone = true;
  }

  /** Waits for `done` with the case at rest: steps that arrived early are decided now. */
  until(done: () => boolean): Promise<void> {
    const release = this.rest();
    return this.journal.until(() => {
      if (!done()) return false;
      release();
      return true;
    });
  }

  /**
   * Marks the case at rest (a party's window running, a reminder's interval, an effect waiting for
   * a person) until the returned function is called. The caller awaits its own promise in between.
   */
  rest(): () => void {
    return restOn(this.main);
  }

  offered(): ActionName[] {
    return [...this.offers.keys()];
  }

  offer<N extends ActionName>(name: N, offer: Offer<N>): void {
    const fresh = !this.offers.has(name);
    this.offers.set(name, offer as unknown as Offer<ActionName>);
    this.refresh();
    if (fresh) this.queueWaiting(name);
  }

  /** Who is told when steps start waiting: called once per turn with the steps newly on offer in it. */
  whenWaiting(tell: (names: ActionName[]) => void): void {
    this.waiting.tell = tell;
  }

  /** One call for all the steps a turn offers, once its synchronous work is done (a microtask: deterministic, same workflow task). */
  private queueWaiting(name: ActionName): void {
    const waiting = this.waiting;
    if (!waiting.tell) return;
    waiting.queue.push(name);
    if (waiting.scheduled) return;
    waiting.scheduled = true;
    void Promise.resolve().then(() => {
      waiting.scheduled = false;
      const names = waiting.queue.splice(0).filter((n) => this.offers.has(n));
      if (names.length > 0) waiting.tell?.(names);
    });
  }

  /** The journal every wait goes through (journal.ts). */
  get inputs(): Journal {
    return this.journal;
  }

  withdraw(...names: ActionName[]): void {
    for (const name of names) this.offers.delete(name);
    this.refresh();
  }

  /** Withdraws a party's action whose window lapsed; later attempts are refused as out of time. */
  closeWindow(name: ActionName, message: string, basis: Basis): void {
    this.closedWindows.set(name, { message, basis });
    this.withdraw(name);
  }

  isOffered(name: ActionName): boolean {
    return this.offers.has(name);
  }

  /**
   * Whether this person must stay out of the case: the subject itself, or recused (回避): by account
   * where both have one, by normalised name otherwise. An actor always has an account, so for steps
   * this decides as it always did; a person named without one (a group member) is caught by name.
   */
  mustRecuse(person: { sub?: string | undefined; name: string }): boolean {
    const subject = this.file.state.subject;
    if (person.sub && subject.userId && person.sub === subject.userId) return true;
    // The organisation's own account is a party too: it files, it never acts for the authority.
    if (person.sub && person.sub === this.file.state.partyAccounts?.subjectOrganisation) return true;
    return this.recused.has(person);
  }

  /** The recusals as an index (samePerson's rule), so a case with thousands of them checks a step in constant time. */
  private readonly recused = new RecusalIndex(() => this.file.state.recusals);

  private refresh(): void {
    // A closed case offers nothing but what its closing effects wait for (engine/effects.ts).
    const offers = [...this.offers].filter(([name]) => !this.file.state.closed || WHILE_CLOSING.has(name));
    this.file.state.availableActions = offers.map(([name, offer]) => ({
      name,
      label: offer.label,
      roles: [...offer.roles],
      ...(offer.deadline && offer.deadline.status === 'pending' ? { deadline: offer.deadline.deadline, deadlineKey: offer.deadline.key } : {}),
      ...(offer.filers?.length ? { filers: [...offer.filers] } : {}),
    }));
    // The steps on offer are part of what the case's view shows.
    this.file.changed();
  }

  /**
   * Refuses what cannot be taken now. `early`: the case is still moving on by itself, so a step not
   * on offer yet is let through to wait for the case to come to rest (the handler decides it then).
   */
  private validate(name: ActionName, input: ActionInputs[ActionName], { early = false } = {}): void {
    const offer = this.offers.get(name);
    const closed = this.closedWindows.get(name);
    if (!offer && closed) refuse(RefusalType.windowClosed, closed.message, closed.basis);
    if (this.file.state.closed && !(offer && WHILE_CLOSING.has(name))) refuse(RefusalType.wrongStage, `案件已终结（${this.file.state.outcome}），不能再进行 ${name}`);
    const actor: Actor | undefined = input?.actor;
    if (!actor?.sub || !actor.name) refuse(RefusalType.invalidInput, 'actor：须注明操作人');
    if (!offer && early) return;
    if (!offer) {
      const open = [...this.offers.keys()].join('、') || '无';
      refuse(RefusalType.wrongStage, `案件当前阶段为 ${this.file.state.stage}，不能进行 ${name}；当前可进行：${open}`);
    }
    if (actor.roles?.includes(PARTY_ROLE)) {
      this.validatePartyFiling(name, input, offer as Offer<ActionName>);
      return;
    }
    if (actor.roles && !actor.roles.some((r) => offer.roles.includes(r))) {
      refuse(RefusalType.notPermitted, `${name} 须由以下角色办理：${offer.roles.join('、')}`);
    }
    if (this.mustRecuse(actor)) {
      refuse(RefusalType.recused, `${actor.name}（${actor.sub}）是本案当事人或应当回避的人员，不得办理本案事项`, recusalBasis(this.rulebook));
    }
    offer.validate?.(input);
    checkPapers(this.rulebook, this.file.state, name, input);
  }

  /**
   * A party files for itself (its own account, the role `party`): only a filing the rulebook lets
   * that party make now, only as the party its account is bound as, and then decided by the step's
   * own checks exactly as when an officer records it (its window, its article). Being the subject is
   * what lets it file, so the recusal of staff does not apply.
   */
  private validatePartyFiling(name: ActionName, input: ActionInputs[ActionName], offer: Offer<ActionName>): void {
    const party = partyOfAccount(this.file.state, input.actor.sub);
    if (!party) refuse(RefusalType.notPermitted, `${input.actor.sub} 未绑定为本案当事人，不能在线提交`);
    if (!isPartyFiling(name) || !offer.filers?.includes(party)) refuse(RefusalType.notPermitted, `${name} 不能由${party === 'subject' ? '被调查对象' : '所在单位'}本人在线提交`);
    const filedFor = (input as unknown as Record<string, unknown>)[PARTY_FILINGS[name]] ?? 'subject';
    if (filedFor !== party) refuse(RefusalType.notPermitted, `${PARTY_FILINGS[name]}：只能以本人身份（${party}）提交`);
    offer.validate?.(input);
  }
}

/**
 * The steps a closed case still takes: a closing effect (the archival copies, the dossier) that failed
 * for good waits for a person to retry or skip it, and the case ends once one does.
 */
const WHILE_CLOSING = new Set<ActionName>(['retryEffect', 'skipEffect']);

/**
 * Who is recused, indexed as `samePerson` compares: by account where both sides have one, by normalised
 * name otherwise. Recusals are only ever added, so the index takes in those recorded since it last looked.
 */
class RecusalIndex {
  private indexed = 0;
  private readonly subs = new Set<string>();
  private readonly namesWithAccount = new Set<string>();
  private readonly namesWithout = new Set<string>();

  constructor(private readonly recusals: () => { person: { sub?: string | undefined; name: string } }[]) {}

  has(person: { sub?: string | undefined; name: string }): boolean {
    const all = this.recusals();
    for (; this.indexed < all.length; this.indexed += 1) {
      const { sub, name } = all[this.indexed]!.person;
      if (sub) {
        this.subs.add(sub);
        this.namesWithAccount.add(normaliseText(name));
      } else {
        this.namesWithout.add(normaliseText(name));
      }
    }
    const name = normaliseText(person.name);
    return person.sub ? this.subs.has(person.sub) || this.namesWithout.has(name) : this.namesWithout.has(name) || this.namesWithAccount.has(name);
  }
}

/** A line of steps (the main line, or one beside it) and how many of its waits are under way. */
interface Line {
  rests: number;
}

/** Counts one wait on `line` until the returned function is called (once; later calls do nothing). */
function restOn(line: Line): () => void {
  line.rests += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    line.rests -= 1;
  };
}

/** The rule's own recusal article, or the general principle where the rule has none. */
export function recusalBasis(rulebook: Rulebook): Basis {
  return rulebook.recusal ?? { article: '回避原则（本规则原文未设专条）', quote: '与被调查对象有亲属关系、利害关系等可能影响公正处理的人员应当回避' };
}
