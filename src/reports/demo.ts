/**
 * A sample report built from the Hải Phòng Social Work Centre's published 2019 figures (nine
 * months: /work/shared/DOMAIN.md, seed 002), as one demo grant. The gender × age breakdown of gift
 * package recipients has a cell of 3 (girls aged 0–5): the case every format must show as "<5".
 * Figures not in the source (the breakdowns, the grant and its money lines) are invented for the
 * demo and add up with the published ones.
 */
import type { ReportModel } from './model';

export const DEMO_SMALL_CELL = { breakdown: 'gift-recipients-by-gender-age', row: 'female', column: 'age-0-5', value: 3 } as const;

export function demoReportModel(overrides: Partial<Pick<ReportModel['meta'], 'language' | 'generatedAt' | 'version'>> = {}): ReportModel {
  return {
    meta: {
      title: {
        vi: 'Báo cáo kết quả: Chương trình hỗ trợ trẻ em có hoàn cảnh đặc biệt Hải Phòng 2019',
        en: 'Impact report: Hải Phòng programme for children in special circumstances 2019',
      },
      orgName: {
        vi: 'Trung tâm Công tác xã hội và Quỹ Bảo trợ trẻ em Hải Phòng',
        en: 'Hải Phòng Social Work Centre and Child Protection Fund',
      },
      scope: {
        kind: 'grant',
        label: {
          vi: 'Khoản tài trợ của Quỹ Ánh Dương (nhà tài trợ minh hoạ) năm 2019',
          en: 'Sunrise Children’s Fund (demo funder) grant 2019',
        },
      },
      period: { from: '2019-01-01', to: '2019-09-30' },
      language: overrides.language ?? 'vi',
      generatedAt: overrides.generatedAt ?? '2019-10-05T03:00:00Z',
      version: overrides.version ?? 1,
      summary: {
        vi: 'Trong 9 tháng đầu năm 2019, Trung tâm tiếp nhận 311 cuộc gọi, can thiệp, trợ giúp 72 trường hợp (tăng 20 trường hợp so với cùng kỳ), trao 45 suất quà cho trẻ em có hoàn cảnh khó khăn và tổ chức 34 hội nghị truyền thông.',
        en: 'In the first nine months of 2019 the Centre answered 311 calls, supported 72 cases (20 more than in the same period of 2018), delivered 45 gift packages to children in difficult circumstances and held 34 awareness conferences.',
      },
    },
    groups: [
      {
        id: 'case-management',
        resultKind: 'output',
        title: { vi: 'Quản lý trường hợp', en: 'Case management' },
        indicators: [
          {
            id: 'hotline-calls',
            unit: 'count',
            people: false,
            value: 311,
            label: { vi: 'Cuộc gọi đến đường dây nóng', en: 'Calls to the hotline' },
            definition: {
              vi: 'Số cuộc gọi đến đường dây nóng của Trung tâm được ghi nhận trong kỳ, kể cả cuộc gọi chỉ hỏi thông tin.',
              en: 'Calls to the Centre’s hotline logged in the period, including calls asking for information only.',
            },
          },
          {
            id: 'cases-handled',
            unit: 'count',
            people: true,
            value: 72,
            baseline: { year: 2018, value: 52 },
            sumOf: ['cases-closed', 'cases-in-intervention'],
            label: { vi: 'Trường hợp được can thiệp, trợ giúp', en: 'Cases supported' },
            definition: {
              vi: 'Số trẻ em có hồ sơ quản lý trường hợp được mở hoặc còn mở trong kỳ và có ít nhất một hoạt động can thiệp, trợ giúp được ghi nhận trong kỳ. Mốc cơ sở: cùng kỳ năm 2018.',
              en: 'Children with a case record opened or open during the period and at least one intervention recorded in the period. Baseline: the same nine months of 2018.',
            },
          },
          {
            id: 'cases-closed',
            unit: 'count',
            people: true,
            value: 67,
            label: { vi: 'Trường hợp đã đóng ca', en: 'Cases closed' },
            definition: {
              vi: 'Trường hợp được can thiệp trong kỳ có quyết định đóng ca trước hoặc vào ngày cuối kỳ.',
              en: 'Cases supported in the period whose closure was recorded on or before the last day of the period.',
            },
          },
          {
            id: 'cases-in-intervention',
            unit: 'count',
            people: true,
            value: 5,
            label: { vi: 'Trường hợp đang tiếp tục can thiệp', en: 'Cases still in intervention' },
            definition: {
              vi: 'Trường hợp được can thiệp trong kỳ và vẫn mở vào ngày cuối kỳ.',
              en: 'Cases supported in the period and still open on the last day of the period.',
            },
          },
          {
            id: 'cases-growth',
            unit: 'percent',
            value: 13846,
            counts: { numerator: 72, denominator: 52, people: true },
            label: { vi: 'Tỷ lệ so với cùng kỳ', en: 'Compared with the same period last year' },
            definition: {
              vi: 'Số trường hợp được can thiệp trong kỳ chia cho số trường hợp được can thiệp trong cùng kỳ năm trước.',
              en: 'Cases supported in the period divided by cases supported in the same period of the previous year.',
            },
          },
          {
            id: 'children-screened',
            unit: 'count',
            people: true,
            value: 7,
            label: { vi: 'Trẻ được đánh giá, sàng lọc rối loạn phát triển', en: 'Children screened for developmental disorders' },
            definition: {
              vi: 'Trẻ em được Trung tâm tiếp nhận đánh giá, sàng lọc rối loạn phát triển trong kỳ, mỗi trẻ tính một lần.',
              en: 'Children assessed and screened for developmental disorders by the Centre in the period, each child counted once.',
            },
          },
          {
            id: 'children-weekly-intervention',
            unit: 'count',
            people: true,
            value: 3,
            target: 5,
            label: { vi: 'Trẻ rối loạn phát triển được can thiệp hằng tuần', en: 'Children with developmental disorders in weekly intervention' },
            definition: {
              vi: 'Trẻ em rối loạn phát triển có ít nhất bốn buổi can thiệp tại Trung tâm trong bốn tuần cuối kỳ.',
              en: 'Children with developmental disorders who had at least four intervention sessions at the Centre in the last four weeks of the period.',
            },
          },
        ],
      },
      {
        id: 'gift-packages',
        resultKind: 'output',
        title: { vi: 'Suất quà cho trẻ em', en: 'Gift packages for children' },
        indicators: [
          {
            id: 'gift-recipients',
            unit: 'count',
            people: true,
            value: 45,
            target: 50,
            label: { vi: 'Trẻ em nhận suất quà', en: 'Children who received a gift package' },
            definition: {
              vi: 'Trẻ em đã nhận ít nhất một suất quà trong kỳ, có biên nhận bàn giao; mỗi trẻ tính một lần.',
              en: 'Children who received at least one gift package in the period, with a signed hand-over record; each child counted once.',
            },
          },
          {
            id: 'gift-value',
            unit: 'money',
            currency: 'VND',
            value: 32_500_000n,
            label: { vi: 'Giá trị suất quà đã trao', en: 'Value of gift packages delivered' },
            definition: {
              vi: 'Tổng giá trị các suất quà đã bàn giao trong kỳ: 20 suất 1.000.000 đồng và 25 suất Trung thu 500.000 đồng.',
              en: 'Total value of the gift packages handed over in the period: 20 packages of 1,000,000 VND and 25 Mid-Autumn packages of 500,000 VND.',
            },
          },
        ],
      },
      {
        id: 'outreach',
        resultKind: 'output',
        title: { vi: 'Truyền thông và tập huấn', en: 'Awareness and training' },
        indicators: [
          {
            id: 'awareness-conferences',
            unit: 'count',
            people: false,
            value: 34,
            label: { vi: 'Hội nghị truyền thông', en: 'Awareness conferences' },
            definition: {
              vi: 'Hội nghị truyền thông về bảo vệ trẻ em do Trung tâm tổ chức hoặc đồng tổ chức trong kỳ.',
              en: 'Child-protection awareness conferences held or co-organised by the Centre in the period.',
            },
          },
          {
            id: 'conference-delegates',
            unit: 'count',
            people: true,
            value: 3900,
            target: 3500,
            label: { vi: 'Đại biểu dự hội nghị truyền thông', en: 'Delegates at awareness conferences' },
            definition: {
              vi: 'Tổng số đại biểu theo danh sách điểm danh các hội nghị truyền thông; một người dự hai hội nghị tính hai lần.',
              en: 'Delegates on the attendance lists of the awareness conferences; a person attending two conferences counts twice.',
            },
          },
          {
            id: 'life-skills-children',
            unit: 'count',
            people: true,
            value: 700,
            label: { vi: 'Trẻ em được tập huấn kỹ năng sống', en: 'Children trained in life skills' },
            definition: {
              vi: 'Trẻ em có tên trong danh sách điểm danh của 9 lớp tập huấn kỹ năng sống trong kỳ.',
              en: 'Children on the attendance lists of the 9 life-skills trainings held in the period.',
            },
          },
          {
            id: 'leaflets',
            unit: 'count',
            people: false,
            value: 14500,
            label: { vi: 'Tờ rơi đã phát', en: 'Leaflets distributed' },
            definition: {
              vi: 'Số tờ rơi đã xuất kho cho các hoạt động truyền thông trong kỳ.',
              en: 'Leaflets issued from stock for awareness activities in the period.',
            },
          },
        ],
      },
    ],
    breakdowns: [
      {
        id: DEMO_SMALL_CELL.breakdown,
        indicatorId: 'gift-recipients',
        title: { vi: 'Trẻ em nhận suất quà theo giới tính và độ tuổi', en: 'Children who received a gift package, by gender and age' },
        description: {
          vi: 'Tuổi tính tròn năm vào ngày nhận quà.',
          en: 'Age in completed years on the day of the hand-over.',
        },
        rowsLabel: { vi: 'Giới tính', en: 'Gender' },
        columnsLabel: { vi: 'Độ tuổi', en: 'Age' },
        rows: [
          { key: 'female', label: { vi: 'Nữ', en: 'Girls' } },
          { key: 'male', label: { vi: 'Nam', en: 'Boys' } },
        ],
        columns: [
          { key: 'age-0-5', label: { vi: '0–5 tuổi', en: '0–5 years' } },
          { key: 'age-6-10', label: { vi: '6–10 tuổi', en: '6–10 years' } },
          { key: 'age-11-15', label: { vi: '11–15 tuổi', en: '11–15 years' } },
          { key: 'age-16-17', label: { vi: '16–17 tuổi', en: '16–17 years' } },
        ],
        counts: [
          [3, 9, 8, 5],
          [7, 6, 7, 0],
        ],
      },
      {
        id: 'cases-by-issue',
        indicatorId: 'cases-handled',
        title: { vi: 'Trường hợp được can thiệp theo vấn đề chính', en: 'Cases supported, by main issue' },
        rowsLabel: { vi: 'Vấn đề chính', en: 'Main issue' },
        columnsLabel: { vi: 'Số trường hợp', en: 'Cases' },
        rows: [
          { key: 'violence-abuse', label: { vi: 'Bạo lực, xâm hại', en: 'Violence and abuse' } },
          { key: 'neglect', label: { vi: 'Bỏ rơi, thiếu sự chăm sóc', en: 'Abandonment and neglect' } },
          { key: 'developmental', label: { vi: 'Rối loạn phát triển, tự kỷ', en: 'Developmental disorders, autism' } },
          { key: 'hiv', label: { vi: 'Ảnh hưởng bởi HIV/AIDS', en: 'Affected by HIV/AIDS' } },
          { key: 'trafficking', label: { vi: 'Bị mua bán', en: 'Trafficking' } },
          { key: 'other', label: { vi: 'Khác', en: 'Other' } },
        ],
        columns: [{ key: 'cases', label: { vi: 'Số trường hợp', en: 'Cases' } }],
        counts: [[18], [24], [12], [9], [2], [7]],
      },
    ],
    moneyTables: [
      {
        id: 'sources-and-uses',
        title: { vi: 'Nguồn và sử dụng kinh phí', en: 'Sources and uses of funds' },
        description: {
          vi: 'Theo sổ cái của Quỹ, từ 01/01/2019 đến 30/09/2019.',
          en: 'From the Fund’s ledger, 1 January to 30 September 2019.',
        },
        currency: 'VND',
        openingBalance: 5_000_000n,
        sources: [
          {
            key: 'grant',
            label: { vi: 'Tài trợ của Quỹ Ánh Dương', en: 'Sunrise Children’s Fund grant' },
            amount: 120_000_000n,
            date: '2019-02-15',
            counterpart: { name: { vi: 'Quỹ Ánh Dương (minh hoạ)', en: 'Sunrise Children’s Fund (demo)' }, type: 'foundation' },
          },
          {
            key: 'civil-servants-group',
            label: { vi: 'Nhóm công chức thành phố làm thiện nguyện', en: 'City civil servants’ volunteer group' },
            amount: 22_500_000n,
            date: '2019-09-10',
          },
          {
            key: 'individual-donors',
            label: { vi: 'Tổ chức, cá nhân qua Quỹ Bảo trợ trẻ em', en: 'Organisations and individuals through the Child Protection Fund' },
            amount: 20_000_000n,
            date: '2019-06-01',
          },
        ],
        uses: [
          { key: 'hotline-counselling', label: { vi: 'Đường dây nóng và tư vấn', en: 'Hotline and counselling' }, amount: 45_000_000n },
          { key: 'early-intervention', label: { vi: 'Can thiệp sớm trẻ rối loạn phát triển', en: 'Early intervention for developmental disorders' }, amount: 30_000_000n },
          { key: 'awareness-training', label: { vi: 'Truyền thông, tập huấn', en: 'Awareness and training' }, amount: 25_000_000n },
          { key: 'gift-packages', label: { vi: 'Suất quà cho trẻ em', en: 'Gift packages for children' }, amount: 32_500_000n },
          { key: 'mid-autumn-festival', label: { vi: 'Tổ chức Trung thu tại xã Tiên Hưng', en: 'Mid-Autumn festival in Tiên Hưng commune' }, amount: 10_000_000n },
        ],
        closingBalance: 25_000_000n,
      },
    ],
    charts: [
      {
        kind: 'progress',
        id: 'progress-to-targets',
        title: { vi: 'Tiến độ so với mục tiêu', en: 'Progress towards targets' },
        indicators: ['gift-recipients', 'conference-delegates', 'children-weekly-intervention'],
      },
      {
        kind: 'bars',
        id: 'gift-recipients-by-age',
        title: { vi: 'Trẻ em nhận suất quà theo độ tuổi', en: 'Gift package recipients by age' },
        source: { breakdown: DEMO_SMALL_CELL.breakdown, series: 'columnTotals' },
      },
      {
        kind: 'bars',
        id: 'cases-by-issue-chart',
        title: { vi: 'Trường hợp theo vấn đề chính', en: 'Cases by main issue' },
        source: { breakdown: 'cases-by-issue', series: 'rowTotals' },
      },
      {
        kind: 'bars',
        id: 'uses-of-funds',
        title: { vi: 'Sử dụng kinh phí', en: 'Uses of funds' },
        source: { moneyTable: 'sources-and-uses', side: 'uses' },
      },
    ],
    activity: {
      // Placeholder identifiers for the demo; a real report uses the organisations' registered refs.
      identifier: 'XI-IATI-SECHIA-HP-2019-CSC',
      reportingOrg: {
        ref: 'XI-IATI-SECHIA-HP',
        type: 'other-public-sector',
        name: {
          vi: 'Trung tâm Công tác xã hội và Quỹ Bảo trợ trẻ em Hải Phòng',
          en: 'Hải Phòng Social Work Centre and Child Protection Fund',
        },
      },
      description: {
        vi: 'Hỗ trợ trẻ em có hoàn cảnh đặc biệt tại Hải Phòng: quản lý trường hợp, can thiệp sớm cho trẻ rối loạn phát triển, suất quà và truyền thông bảo vệ trẻ em.',
        en: 'Support for children in special circumstances in Hải Phòng: case management, early intervention for children with developmental disorders, gift packages and child-protection awareness.',
      },
      participatingOrgs: [
        { role: 'funding', name: { vi: 'Quỹ Ánh Dương (minh hoạ)', en: 'Sunrise Children’s Fund (demo)' }, type: 'foundation' },
        {
          role: 'implementing',
          ref: 'XI-IATI-SECHIA-HP',
          type: 'other-public-sector',
          name: { vi: 'Trung tâm Công tác xã hội và Quỹ Bảo trợ trẻ em Hải Phòng', en: 'Hải Phòng Social Work Centre and Child Protection Fund' },
        },
      ],
      status: 'implementation',
      dates: { actualStart: '2019-01-01', plannedEnd: '2019-12-31' },
      budgets: [
        { periodStart: '2019-01-01', periodEnd: '2019-12-31', valueDate: '2019-01-01', amount: 150_000_000n, currency: 'VND', committed: true },
      ],
      recipientCountry: 'VN',
      sector: '16010',
    },
  };
}
