import type { TestApp } from '../support/app.ts';

/** Streets, categories, halls and partners the wall tests send (long names included, to test fitting). */
export const STREETS = [
  '文艺路街道',
  '朝阳街道',
  '韭菜园街道',
  '五里牌街道',
  '火星街道',
  '马王堆街道',
  '东屯渡街道',
  '湘湖街道',
  '定王台街道',
  '东岸街道',
  '马坡岭街道',
  '浏阳河街道',
  '荷花园街道',
];
export const CATEGORIES = ['城市管理', '市场监管', '住房保障', '交通运输', '劳动社保', '生态环境', '教育体育', '卫生健康'];
export const HALLS = ['区政务服务大厅', '文艺路街道政务服务中心', '朝阳街道政务服务中心', '马王堆24小时政务服务驿站'];
export const PARTNERS = [
  '广东省深圳市南山区',
  '湘潭市岳塘区',
  '株洲市天元区',
  '贵州省贵阳市南明区',
  '江西省南昌市东湖区',
  '浙江省杭州市西湖区',
];

/**
 * "Now" for a wall test's records: at least 65 minutes into the local day in Asia/Shanghai, so that records of
 * "the last hour" belong to today even when the test runs just after midnight there (16:00 UTC). They may then
 * lie up to 65 minutes ahead, which ingest accepts (INGEST_MAX_AHEAD_HOURS).
 */
export function wallNow(nowMs = Date.now()): number {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(nowMs));
  return Math.max(nowMs, Date.parse(`${day}T00:00:00+08:00`) + 65 * 60_000);
}

/** A morning of today's records on all five feeds, with times in the last hour before `nowMs` (today in Asia/Shanghai). */
export function todayRecords(nowMs = wallNow(), count = 60) {
  const at = (i: number) => new Date(nowMs - 3_600_000 + (i * 3_600_000) / (count + 1)).toISOString();
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(nowMs));
  const hotline = Array.from({ length: count }, (_, i) => [
    { ticketId: `W-${i}`, type: 'received', at: at(i), street: STREETS[i % STREETS.length], category: CATEGORIES[i % CATEGORIES.length] },
    {
      ticketId: `W-${i}`,
      type: 'signed',
      at: at(i),
      urgency: 'normal',
      street: STREETS[(i * 7) % STREETS.length],
      category: CATEGORIES[(i * 3) % CATEGORIES.length],
    },
    ...(i % 3 === 0 ? [{ ticketId: `W-${i}`, type: 'responded', at: at(i + 0.5) }] : []),
    ...(i % 2 === 0 ? [{ ticketId: `W-${i}`, type: 'completed', at: at(i + 0.7) }] : []),
    ...(i % 4 === 0 ? [{ ticketId: `W-${i}`, type: 'visited', at: at(i + 0.9), resolved: i % 8 === 0, satisfaction: 'satisfied' }] : []),
  ]).flat();
  const hall = Array.from({ length: count }, (_, i) => [
    { queueId: `A${i}`, type: 'taken', at: at(i), hall: HALLS[i % HALLS.length], service: '社保' },
    ...(i % 3 !== 0 ? [{ queueId: `A${i}`, type: 'called', at: at(i + 0.4), hall: HALLS[i % HALLS.length] }] : []),
    ...(i % 3 === 1 ? [{ queueId: `A${i}`, type: 'served', at: at(i + 0.8), hall: HALLS[i % HALLS.length] }] : []),
  ]).flat();
  const online = ['pc', 'mobile', 'window', 'self_service'].map((channel, i) => ({
    date: day,
    itemCode: 'ITEM-001',
    channel,
    count: 120 * (i + 1),
    fullyOnline: channel !== 'window',
  }));
  const crossRegion = Array.from({ length: 18 }, (_, i) => [
    {
      caseId: `K-${i}`,
      type: 'received',
      at: at(i),
      partnerRegion: PARTNERS[i % PARTNERS.length],
      direction: i % 2 ? 'inbound' : 'outbound',
    },
    ...(i % 2 === 0
      ? [{ caseId: `K-${i}`, type: 'completed', at: at(i + 1), partnerRegion: PARTNERS[i % PARTNERS.length], direction: 'outbound' }]
      : []),
  ]).flat();
  const evaluations = Array.from({ length: 40 }, (_, i) => ({
    id: `E-${i}`,
    at: at(i),
    rating: i % 13 === 0 ? 2 : i % 5 === 0 ? 4 : 5,
    channel: ['window', 'pc', 'mobile', 'kiosk', 'sms'][i % 5],
    hall: HALLS[i % HALLS.length],
  }));
  return { hotline, hall, online, crossRegion, evaluations };
}

/** Sends the partner list (reference data) and `todayRecords`, and waits until the workers applied them. */
export async function sendToday(app: TestApp, adminToken: string, nowMs = wallNow()): Promise<void> {
  const partners = await fetch(`${app.baseUrl}/api/admin/reference/cross-region-partners`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({
      items: PARTNERS.map((region, i) => ({
        region,
        scope: i % 3 === 1 || i % 3 === 2 ? 'changzhutan' : 'inter_provincial',
        signedAt: '2021-06-01',
      })),
    }),
  });
  if (!partners.ok) throw new Error(`partners: ${partners.status} ${await partners.text()}`);
  const records = todayRecords(nowMs);
  for (const [feed, events] of Object.entries(records)) await app.ingest(feed, events);
  await app.waitIdle(adminToken);
}

/** A display token for a wall (POST /api/admin/display-tokens as admin). */
export async function createDisplayToken(app: TestApp, adminToken: string, name = 'test wall'): Promise<{ id: string; token: string }> {
  const res = await fetch(`${app.baseUrl}/api/admin/display-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`display token: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; token: string };
}
