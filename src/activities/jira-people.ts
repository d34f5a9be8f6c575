/**
 * People: account ids for e-mails (cached; customers created in JSM when missing), request
 * participants and watchers.
 */
import { isApiError } from 'jira.js';
import type { FindUserInput, FoundUser, JiraAccount, LookupAccountInput, PeopleInput, WatchersInput } from './contract';
import { ActivityErrorType, activityLog, jiraFailure, rejected, type ErrorContext } from './errors';
import { arr, obj, sameName, str, type Json } from './jira-shapes';
import type { JiraSession } from './jira-session';

type FoundAccount = Extract<FoundUser, { found: true }>;

export function createJiraPeople(s: JiraSession) {
  const { cloud, serviceDesk, jira } = s;
  const users = new Map<string, FoundAccount>();
  const deskCustomers = new Set<string>();
  const accounts = new Map<string, JiraAccount>();

  async function findUser(email: string, ctx: ErrorContext): Promise<FoundUser> {
    const wanted = email.trim().toLowerCase();
    const cached = users.get(wanted);
    if (cached) return cached;
    const found = await jira(ctx, () => cloud.userSearch.findUsers({ query: email.trim(), maxResults: 50 }));
    const list = arr(found).map(obj);
    let match = list.find((u) => sameName(u.emailAddress, wanted));
    // Jira hides e-mail addresses by profile visibility: a single hit without one is the person searched for.
    if (!match && list.length === 1 && !str(list[0]?.emailAddress)) match = list[0];
    const accountId = str(match?.accountId);
    if (!match || !accountId) return { found: false, email };
    const user: FoundAccount = {
      found: true,
      accountId,
      email,
      displayName: str(match.displayName) ?? email,
    };
    users.set(wanted, user);
    return user;
  }

  /**
   * A restricted desk takes reporters and participants only from its customers: the account is added
   * to the desk once per worker. That needs the Service Desk administrator permission; without it the
   * step goes on (an open desk needs nothing) and a restricted desk's refusal then names the person.
   */
  async function ensureDeskCustomer(accountId: string, email: string, ctx: ErrorContext): Promise<void> {
    if (deskCustomers.has(accountId)) return;
    try {
      await serviceDesk.servicedesk.addCustomers({ serviceDeskId: s.cfg.serviceDeskId, accountIds: [accountId] });
      deskCustomers.add(accountId);
    } catch (err) {
      if (!(isApiError(err) && err.status >= 400 && err.status < 500 && err.status !== 429))
        throw jiraFailure(err, ctx);
      activityLog('warn', 'could not add the customer to the service desk', {
        ticket: ctx.ticket,
        email,
        status: err.status,
        hint: 'adding customers to a desk needs the Service Desk administrator permission; an open desk does not need it',
      });
    }
  }

  /**
   * An account id for an e-mail. Customers (reporter, participants) are created in JSM when missing, as
   * the desk does for a new e-mail sender, and added to the desk; staff roles (assignee, watcher, QA)
   * must already exist.
   */
  async function accountFor(email: string, field: string, key: string, createCustomer: boolean): Promise<string> {
    const ctx: ErrorContext = {
      ticket: key,
      action: `look up ${field}`,
      fields: { [field]: { name: field, value: email } },
    };
    const user = await findUser(email, ctx);
    let accountId = user.found ? user.accountId : null;
    if (!accountId && createCustomer) {
      const createCtx: ErrorContext = { ...ctx, action: `create customer for ${field}` };
      let created: unknown;
      try {
        created = await serviceDesk.customer.createCustomer({ email, displayName: email });
      } catch (err) {
        if (isApiError(err) && (err.status === 401 || err.status === 403))
          throw rejected(
            ActivityErrorType.PermissionDenied,
            `${key}: ${email} (${field}) has no Jira account, and deskflow's Jira account may not create one: creating a customer (POST /rest/servicedeskapi/customer) needs the Jira Administrator global permission. Grant it to ${s.cfg.botEmail}, or add ${email} as a customer of the desk by hand.`,
            err,
          );
        throw jiraFailure(err, createCtx);
      }
      accountId = str(obj(created).accountId);
      if (accountId) users.set(email.trim().toLowerCase(), { found: true, accountId, email, displayName: email });
    }
    if (!accountId)
      throw rejected(ActivityErrorType.UserNotFound, `${key}: Jira has no user for ${field}=${JSON.stringify(email)}`);
    if (createCustomer) await ensureDeskCustomer(accountId, email, ctx);
    return accountId;
  }

  /** Adds request participants (E-07, E-15); customers new to the desk are created first. */
  async function addRequestParticipants({ key, emails }: PeopleInput): Promise<void> {
    if (emails.length === 0) return;
    const accountIds: string[] = [];
    for (const email of emails) accountIds.push(await accountFor(email, 'participants', key, true));
    const ctx: ErrorContext = {
      ticket: key,
      action: 'add request participants',
      fields: { participants: { name: 'participants', value: emails } },
    };
    await jira(ctx, () =>
      serviceDesk.request.addRequestParticipants({
        issueIdOrKey: key,
        accountIds,
      }),
    );
  }

  /** Removes request participants (S-06: staff become watchers instead). Unknown e-mails are not participants. */
  async function removeRequestParticipants({ key, emails }: PeopleInput): Promise<void> {
    const ctx: ErrorContext = {
      ticket: key,
      action: 'remove request participants',
      fields: { participants: { name: 'participants', value: emails } },
    };
    const accountIds: string[] = [];
    for (const email of emails) {
      const user = await findUser(email, ctx);
      if (user.found) accountIds.push(user.accountId);
    }
    if (accountIds.length === 0) return;
    await jira(ctx, () =>
      serviceDesk.request.removeRequestParticipants({
        issueIdOrKey: key,
        accountIds,
      }),
    );
  }

  /** Whether Jira lets this account browse the issue: what watching needs (JSM customers may not). */
  async function mayBrowse(accountId: string, key: string, ctx: ErrorContext): Promise<boolean> {
    const found = await jira(ctx, () =>
      cloud.userSearch.findUsersWithBrowsePermission({ accountId, issueKey: key, maxResults: 1 }),
    );
    return arr(found).some((u) => obj(u).accountId === accountId);
  }

  /**
   * Adds watchers (S-05, S-06, S-08, E-04); watching twice is a no-op in Jira. Only people who may browse
   * the issue can watch it (staff, partners working in Jira), as Jira's browse-permission search tells: a
   * JSM customer is never made a watcher. With `customersAsParticipants` (E-04), on a desk ticket, such a
   * person is made a request participant instead; otherwise they are left out, and the log says so.
   */
  async function addWatchers({ key, emails, customersAsParticipants }: WatchersInput): Promise<void> {
    const onDesk = key.startsWith(`${s.cfg.supportProject}-`);
    const asParticipants = customersAsParticipants === true && onDesk;
    const customers: string[] = [];
    for (const email of emails) {
      const ctx: ErrorContext = {
        ticket: key,
        action: 'add watcher',
        fields: { watchers: { name: 'watchers', value: email } },
      };
      // Nobody by that e-mail on a desk ticket: a customer to be, whose account is made only to add them
      // as a participant (E-04 names partner staff who may have none yet).
      if (onDesk && !asParticipants && !(await findUser(email, ctx)).found) {
        customers.push(email);
        continue;
      }
      const accountId = await accountFor(email, 'watchers', key, asParticipants);
      if (!(await mayBrowse(accountId, key, ctx))) {
        customers.push(email);
        continue;
      }
      // The REST body is the account id as a bare JSON string; jira.js types it as a record.
      await jira(ctx, () =>
        cloud.issueWatchers.addWatcher({
          issueIdOrKey: key,
          body: accountId as unknown as Json,
        }),
      );
    }
    if (customers.length === 0) return;
    activityLog(
      'info',
      asParticipants ? 'customers made request participants, not watchers' : 'customers not made watchers',
      {
        ticket: key,
        emails: customers,
        hint: 'JSM customers may not browse issues in Jira, so they cannot watch; JSM informs them as reporter or participant',
      },
    );
    if (asParticipants) await addRequestParticipants({ key, emails: customers });
  }

  /** Finds a Jira user by e-mail (cached). No match is a typed result, not a failure: the caller falls back. */
  async function findUserByEmail({ email }: FindUserInput): Promise<FoundUser> {
    return findUser(email, { ticket: email, action: 'find user' });
  }

  /**
   * An account by id through Jira's user API (cached): webhooks name people by account id only, so this
   * is where the e-mail the procedures compare (configured roles, internal domains, the onboarding form)
   * comes from. Jira may still hide the address (profile visibility): then `email` is null.
   */
  async function lookupAccount({ accountId }: LookupAccountInput): Promise<JiraAccount> {
    const cached = accounts.get(accountId);
    if (cached) return cached;
    const ctx: ErrorContext = {
      ticket: accountId,
      action: 'look up account',
      fields: { accountId: { name: 'accountId', value: accountId } },
    };
    const u = obj(await jira(ctx, () => cloud.users.getUser({ accountId })));
    const account: JiraAccount = {
      accountId,
      email: str(u.emailAddress)?.toLowerCase() ?? null,
      displayName: str(u.displayName),
      accountType: str(u.accountType),
    };
    accounts.set(accountId, account);
    return account;
  }

  return {
    findUser,
    accountFor,
    addRequestParticipants,
    removeRequestParticipants,
    addWatchers,
    findUserByEmail,
    lookupAccount,
  };
}

export type JiraPeople = ReturnType<typeof createJiraPeople>;
