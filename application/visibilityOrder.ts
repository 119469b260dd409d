import { type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';

/**
 * Pages of running processes in the order of a Datetime search attribute.
 * Temporal's SQL visibility (the embedded default, SQLite) cannot ORDER BY a
 * custom search attribute: it returns rows newest-started first. So a page of
 * "the soonest deadline first" is found with counts: a window of the attribute
 * (everything below some moment, after the cursor) is widened or narrowed until
 * it holds at least a page of rows and not many more, and only that window is
 * fetched and sorted here. Rows tied on the attribute are ordered by WorkflowId,
 * and the cursor (the last row's value and id) continues exactly after them.
 */

export interface OrderCursor {
  /** The last row's attribute value, ISO 8601. */
  at: string;
  /** The last row's WorkflowId: ties on `at` continue after it. */
  id: string;
}

/** Fetching a window of up to this many pages' rows is cheaper than narrowing it further (a count costs about as much as 20 rows). */
const WINDOW_MAX_PAGES = 3;
/** Temporal's largest visibility page. */
const FETCH_PAGE = 1000;
const HOUR_MS = 3600_000;
/** Narrowing stops after this many counts (enough to bisect years down to milliseconds); the window found by then is fetched as it is. */
const MAX_NARROWING_STEPS = 40;

/** Dates and ids go into the query only after this check, so nothing can break out of its quotes. */
export function quotedValue(value: string): string {
  if (/['"\\]/.test(value)) throw new Error('A visibility query value may not contain quotes or backslashes');
  return `'${value}'`;
}

/** Every row of a query, following Temporal's nextPageToken. */
export async function listAll(client: Client, query: string, pageSize = FETCH_PAGE): Promise<WorkflowExecutionInfo[]> {
  const rows: WorkflowExecutionInfo[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await listPage(client, query, Math.min(pageSize, FETCH_PAGE), nextPageToken);
    rows.push(...page.rows);
    nextPageToken = page.nextPageToken;
  } while (nextPageToken);
  return rows;
}

/** One page of a query in Temporal's own order, and the token for the next (absent after the last). */
export async function listPage(
  client: Client,
  query: string,
  pageSize: number,
  nextPageToken?: Uint8Array,
): Promise<{ rows: WorkflowExecutionInfo[]; nextPageToken?: Uint8Array }> {
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query,
    pageSize,
    nextPageToken: nextPageToken ?? Buffer.alloc(0),
  });
  const rows = await Promise.all(
    response.executions.map((raw) => executionInfoFromRaw(raw, client.workflow.options.loadedDataConverter, raw, client.options.namespace)),
  );
  const token = response.nextPageToken?.length ? response.nextPageToken : undefined;
  return { rows, nextPageToken: token };
}

/**
 * The moment each list's window ended last time, by query: a list is loaded again and again (every member of
 * staff's home page), and its window seldom moves, so one count checks it instead of a narrowing's ten or so.
 * A window that no longer holds a page (or holds too much) is narrowed again; the order never depends on it.
 */
const windowEnds = new Map<string, number>();
const REMEMBERED_WINDOWS = 1000;

function remember(scope: string, moment: number): void {
  windowEnds.delete(scope);
  windowEnds.set(scope, moment);
  if (windowEnds.size > REMEMBERED_WINDOWS) windowEnds.delete(windowEnds.keys().next().value!);
}

async function rememberedWindow(
  scope: string,
  limit: number,
  windowMax: number,
  below: (moment: number) => string,
  count: (query: string) => Promise<number>,
): Promise<string | undefined> {
  const moment = windowEnds.get(scope);
  if (moment === undefined) return undefined;
  const n = await count(below(moment));
  return n >= limit && n <= windowMax ? below(moment) : undefined;
}

function attributeValue(info: WorkflowExecutionInfo, attribute: string): string {
  const value = info.searchAttributes?.[attribute]?.[0];
  return value instanceof Date ? value.toISOString() : String(value ?? '');
}

/**
 * Up to `limit` rows of `baseQuery` that have `attribute`, in ascending (attribute, WorkflowId) order,
 * after the cursor. Costs a few counts and one fetch of at most a window's rows, however many match.
 */
export async function pageInAttributeOrder(
  client: Client,
  baseQuery: string,
  attribute: string,
  limit: number,
  after?: OrderCursor,
  now = new Date(),
): Promise<WorkflowExecutionInfo[]> {
  // Equality on a Datetime is unreliable in SQL visibility (a value set as 14.950Z is not "= 14.950Z" but is ">= 14.950Z"
  // and "< 14.951Z"), so the cursor's millisecond is a half-open interval.
  const iso = (ms: number) => quotedValue(new Date(ms).toISOString());
  const afterCursor = after
    ? `(${attribute} >= ${iso(Date.parse(after.at) + 1)} OR (${attribute} >= ${iso(Date.parse(after.at))} AND ${attribute} < ${iso(Date.parse(after.at) + 1)} AND WorkflowId > ${quotedValue(after.id)}))`
    : `${attribute} IS NOT NULL`;
  const scope = `${baseQuery} AND ${afterCursor}`;
  const below = (moment: number) => `${scope} AND ${attribute} < ${iso(moment)}`;
  const count = async (query: string) => Number((await client.workflow.count(query)).count);

  const windowMax = WINDOW_MAX_PAGES * Math.max(limit, 20);
  const query = (await rememberedWindow(scope, limit, windowMax, below, count)) ?? (await narrowedWindow());
  async function narrowedWindow(): Promise<string> {
    const total = await count(scope);
    if (total <= windowMax) return scope;
    // Bracket a moment whose window holds at least a page, then narrow it to at most windowMax rows.
    const start = after ? Date.parse(after.at) : now.getTime();
    let step = HOUR_MS;
    let low: number | undefined; // a moment whose window holds fewer than `limit` rows
    let high: number | undefined; // a moment whose window holds at least `limit` rows
    let highCount = total;
    let moment = start + step;
    for (let steps = 0; steps < MAX_NARROWING_STEPS; steps++) {
      const n = await count(below(moment));
      if (n < limit) low = moment;
      else {
        high = moment;
        highCount = n;
        if (n <= windowMax) break;
      }
      if (high !== undefined && low !== undefined) moment = Math.floor((low + high) / 2);
      else {
        step *= 4;
        moment = high === undefined ? start + step : start - step;
      }
      if (high !== undefined && low !== undefined && high - low <= 1) break;
    }
    // Not found (every row lies far out): the whole scope is fetched; a window of ties beyond the cap is fetched whole.
    if (high === undefined || highCount >= total) return scope;
    remember(scope, high);
    return below(high);
  }
  const rows = await listAll(client, query);
  const key = (info: WorkflowExecutionInfo) => attributeValue(info, attribute);
  rows.sort((a, b) => key(a).localeCompare(key(b)) || a.workflowId.localeCompare(b.workflowId));
  return rows.slice(0, limit);
}

export function cursorOf(info: WorkflowExecutionInfo, attribute: string): OrderCursor {
  return { at: attributeValue(info, attribute), id: info.workflowId };
}
