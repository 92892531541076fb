import type { Locale } from '../ui/i18n';

/** Vietnamese-first labels for the codes the cases capability stores. */
type L = { vi: string; en: string };

export const STATUS_LABELS: Record<string, L> = {
  intake: { vi: 'Tiếp nhận', en: 'Intake' },
  assessment: { vi: 'Đánh giá', en: 'Assessment' },
  intervention: { vi: 'Can thiệp', en: 'Intervention' },
  closed: { vi: 'Đã đóng', en: 'Closed' },
  open: { vi: 'Đang mở (mọi giai đoạn)', en: 'Open (any stage)' },
};

export const CLOSURE_LABELS: Record<string, L> = {
  goals_met: { vi: 'Đạt mục tiêu', en: 'Goals met' },
  referred: { vi: 'Chuyển tuyến', en: 'Referred' },
  moved: { vi: 'Chuyển nơi ở', en: 'Moved away' },
  declined: { vi: 'Từ chối hỗ trợ', en: 'Declined' },
  other: { vi: 'Lý do khác', en: 'Other' },
};

export const GENDER_LABELS: Record<string, L> = {
  female: { vi: 'Nữ', en: 'Female' },
  male: { vi: 'Nam', en: 'Male' },
  other: { vi: 'Khác', en: 'Other' },
  unknown: { vi: 'Chưa rõ', en: 'Unknown' },
};

export const URGENCY_LABELS: Record<string, L> = {
  low: { vi: 'Thấp', en: 'Low' },
  medium: { vi: 'Trung bình', en: 'Medium' },
  high: { vi: 'Cao', en: 'High' },
  critical: { vi: 'Khẩn cấp', en: 'Critical' },
};

export const HOUSEHOLD_LABELS: Record<string, L> = {
  both_parents: { vi: 'Sống với cha mẹ', en: 'With both parents' },
  single_parent: { vi: 'Sống với cha hoặc mẹ', en: 'With one parent' },
  grandparents: { vi: 'Sống với ông bà', en: 'With grandparents' },
  relatives: { vi: 'Sống với họ hàng', en: 'With relatives' },
  foster_family: { vi: 'Gia đình nhận chăm sóc thay thế', en: 'Foster family' },
  institution: { vi: 'Cơ sở trợ giúp xã hội', en: 'Social protection facility' },
  alone: { vi: 'Sống một mình', en: 'Lives alone' },
  unknown: { vi: 'Chưa rõ', en: 'Unknown' },
};

export const GOAL_STATUS_LABELS: Record<string, L> = {
  planned: { vi: 'Dự kiến', en: 'Planned' },
  in_progress: { vi: 'Đang thực hiện', en: 'In progress' },
  achieved: { vi: 'Đã đạt', en: 'Achieved' },
  dropped: { vi: 'Dừng', en: 'Dropped' },
};

export const SERVICE_LABELS: Record<string, L> = {
  counselling: { vi: 'Tham vấn', en: 'Counselling' },
  therapy: { vi: 'Buổi trị liệu', en: 'Therapy session' },
  home_visit: { vi: 'Thăm gia đình', en: 'Home visit' },
  referral: { vi: 'Chuyển gửi', en: 'Referral' },
  emergency_shelter: { vi: 'Hỗ trợ khẩn cấp: chỗ ở', en: 'Emergency: shelter' },
  emergency_food: { vi: 'Hỗ trợ khẩn cấp: lương thực', en: 'Emergency: food' },
  emergency_travel: { vi: 'Hỗ trợ khẩn cấp: đi lại', en: 'Emergency: travel' },
};

export const CALLER_LABELS: Record<string, L> = {
  child: { vi: 'Trẻ em', en: 'Child' },
  parent: { vi: 'Cha mẹ', en: 'Parent' },
  relative: { vi: 'Người thân', en: 'Relative' },
  teacher: { vi: 'Giáo viên', en: 'Teacher' },
  neighbour: { vi: 'Hàng xóm', en: 'Neighbour' },
  official: { vi: 'Cán bộ', en: 'Official' },
  anonymous: { vi: 'Giấu tên', en: 'Anonymous' },
  other: { vi: 'Khác', en: 'Other' },
};

export const TOPIC_LABELS: Record<string, L> = {
  violence: { vi: 'Bạo lực', en: 'Violence' },
  abuse: { vi: 'Xâm hại', en: 'Abuse' },
  trafficking: { vi: 'Mua bán người', en: 'Trafficking' },
  neglect: { vi: 'Bỏ mặc', en: 'Neglect' },
  development: { vi: 'Phát triển, tự kỷ', en: 'Development, autism' },
  health: { vi: 'Sức khỏe', en: 'Health' },
  school: { vi: 'Học tập', en: 'School' },
  legal: { vi: 'Pháp lý', en: 'Legal' },
  family: { vi: 'Quan hệ gia đình', en: 'Family relations' },
  information: { vi: 'Hỏi thông tin', en: 'Information' },
  other: { vi: 'Khác', en: 'Other' },
};

export const OUTCOME_LABELS: Record<string, L> = {
  advice_given: { vi: 'Đã tư vấn', en: 'Advice given' },
  referred: { vi: 'Chuyển gửi', en: 'Referred' },
  case_opened: { vi: 'Mở hồ sơ', en: 'Case opened' },
  emergency_response: { vi: 'Can thiệp khẩn cấp', en: 'Emergency response' },
  no_action: { vi: 'Không cần xử lý', en: 'No action' },
};

export const OUTREACH_LABELS: Record<string, L> = {
  awareness_conference: { vi: 'Hội nghị truyền thông', en: 'Awareness conference' },
  training: { vi: 'Tập huấn', en: 'Training' },
  life_skills: { vi: 'Tập huấn kỹ năng sống', en: 'Life-skills training' },
  early_detection: { vi: 'Phát hiện sớm tự kỷ', en: 'Early detection of autism' },
};

export const AUDIENCE_LABELS: Record<string, L> = {
  community: { vi: 'Cộng đồng', en: 'Community' },
  parents: { vi: 'Cha mẹ', en: 'Parents' },
  teachers: { vi: 'Giáo viên', en: 'Teachers' },
  children: { vi: 'Trẻ em', en: 'Children' },
  officials: { vi: 'Cán bộ', en: 'Officials' },
  collaborators: { vi: 'Cộng tác viên CTXH', en: 'Social-work collaborators' },
  mixed: { vi: 'Nhiều nhóm', en: 'Mixed' },
};

export const CONSENT_KIND_LABELS: Record<string, L> = {
  data_processing: { vi: 'Xử lý dữ liệu cá nhân', en: 'Personal data processing' },
  photos: { vi: 'Chụp và dùng ảnh', en: 'Photos' },
};

export const CONSENT_ACTION_LABELS: Record<string, L> = {
  granted: { vi: 'Đồng ý', en: 'Granted' },
  withdrawn: { vi: 'Rút lại', en: 'Withdrawn' },
};

export const GIVER_LABELS: Record<string, L> = {
  self: { vi: 'Chính người được hỗ trợ', en: 'The person themself' },
  mother: { vi: 'Mẹ', en: 'Mother' },
  father: { vi: 'Cha', en: 'Father' },
  grandparent: { vi: 'Ông/bà', en: 'Grandparent' },
  legal_guardian: { vi: 'Người giám hộ', en: 'Legal guardian' },
  other_relative: { vi: 'Người thân khác', en: 'Other relative' },
  institution: { vi: 'Cơ sở chăm sóc', en: 'Care institution' },
};

export const ERASURE_LABELS: Record<string, L> = {
  data_subject_request: { vi: 'Theo yêu cầu của chủ thể dữ liệu', en: 'Request of the data subject' },
  consent_withdrawn: { vi: 'Rút lại sự đồng ý', en: 'Consent withdrawn' },
  retention_expired: { vi: 'Hết thời hạn lưu trữ', en: 'Retention period over' },
  recorded_in_error: { vi: 'Ghi nhầm', en: 'Recorded in error' },
};

/** Why someone opens identifying data: a code, stored in the audit trail with the read. */
export const REVEAL_REASONS = [
  'home_visit',
  'assessment',
  'service_delivery',
  'referral',
  'emergency',
  'consent_record',
  'data_request',
  'safeguarding_review',
  'legal_obligation',
] as const;
export type RevealReason = (typeof REVEAL_REASONS)[number];

export const REVEAL_REASON_LABELS: Record<RevealReason, L> = {
  home_visit: { vi: 'Chuẩn bị thăm gia đình', en: 'Home visit' },
  assessment: { vi: 'Đánh giá trường hợp', en: 'Case assessment' },
  service_delivery: { vi: 'Cung cấp dịch vụ', en: 'Service delivery' },
  referral: { vi: 'Chuyển gửi', en: 'Referral' },
  emergency: { vi: 'Tình huống khẩn cấp', en: 'Emergency' },
  consent_record: { vi: 'Ghi nhận sự đồng ý', en: 'Recording consent' },
  data_request: { vi: 'Yêu cầu về dữ liệu của chủ thể', en: 'Data subject request' },
  safeguarding_review: { vi: 'Rà soát bảo vệ trẻ em', en: 'Safeguarding review' },
  legal_obligation: { vi: 'Nghĩa vụ pháp lý', en: 'Legal obligation' },
};

export const AGE_BAND_LABELS: Record<string, L> = {
  '0-5': { vi: '0–5 tuổi', en: '0–5 years' },
  '6-10': { vi: '6–10 tuổi', en: '6–10 years' },
  '11-15': { vi: '11–15 tuổi', en: '11–15 years' },
  '16-17': { vi: '16–17 tuổi', en: '16–17 years' },
  '18-59': { vi: '18–59 tuổi', en: '18–59 years' },
  '60+': { vi: 'Từ 60 tuổi', en: '60 and over' },
};

/**
 * The starting list of vulnerability categories, from the groups the source documents name.
 * Each organisation gets its own copy and may add or retire entries.
 */
export const DEFAULT_CASE_CATEGORIES: { key: string; vi: string; en: string }[] = [
  { key: 'orphan', vi: 'Trẻ mồ côi', en: 'Orphan' },
  { key: 'abandoned', vi: 'Trẻ bị bỏ rơi', en: 'Abandoned' },
  { key: 'hiv_affected', vi: 'Nhiễm hoặc ảnh hưởng bởi HIV/AIDS', en: 'HIV-affected' },
  { key: 'agent_orange', vi: 'Nạn nhân chất độc da cam', en: 'Agent Orange victim' },
  { key: 'severe_disability', vi: 'Khuyết tật nặng', en: 'Severe disability' },
  { key: 'autism_developmental', vi: 'Tự kỷ, rối loạn phát triển', en: 'Autism or developmental disorder' },
  { key: 'violence_victim', vi: 'Nạn nhân bạo lực', en: 'Victim of violence' },
  { key: 'abuse_victim', vi: 'Bị xâm hại', en: 'Victim of abuse' },
  { key: 'trafficking_victim', vi: 'Nạn nhân mua bán người', en: 'Victim of trafficking' },
  { key: 'poor_household', vi: 'Hộ nghèo, cận nghèo', en: 'Poor household' },
  { key: 'single_parent', vi: 'Gia đình đơn thân', en: 'Single-parent household' },
  { key: 'disaster_affected', vi: 'Ảnh hưởng thiên tai', en: 'Disaster-affected' },
  { key: 'mental_illness', vi: 'Người rối nhiễu tâm trí', en: 'Mental illness' },
  { key: 'elderly_unsupported', vi: 'Người cao tuổi không nơi nương tựa', en: 'Elderly without support' },
];

export function label(map: Record<string, L>, key: string | null | undefined, locale: Locale): string {
  if (!key) return '';
  return map[key]?.[locale] ?? key;
}

/** Strings of the cases pages. */
export const TXT = {
  cases: { vi: 'Hồ sơ trường hợp', en: 'Cases' },
  newCase: { vi: 'Mở hồ sơ mới', en: 'New case' },
  hotline: { vi: 'Tổng đài 111', en: 'Hotline' },
  outreach: { vi: 'Truyền thông, tập huấn', en: 'Outreach' },
  code: { vi: 'Mã hồ sơ', en: 'Case code' },
  status: { vi: 'Giai đoạn', en: 'Stage' },
  category: { vi: 'Nhóm đối tượng', en: 'Category' },
  categories: { vi: 'Nhóm đối tượng', en: 'Categories' },
  location: { vi: 'Địa bàn', en: 'Location' },
  ageBand: { vi: 'Nhóm tuổi', en: 'Age band' },
  birthYear: { vi: 'Năm sinh', en: 'Birth year' },
  gender: { vi: 'Giới tính', en: 'Gender' },
  household: { vi: 'Hoàn cảnh sống', en: 'Household situation' },
  urgency: { vi: 'Mức độ khẩn cấp', en: 'Urgency' },
  openedOn: { vi: 'Ngày tiếp nhận', en: 'Opened on' },
  closedOn: { vi: 'Ngày đóng', en: 'Closed on' },
  closureReason: { vi: 'Lý do đóng', en: 'Closure reason' },
  all: { vi: 'Tất cả', en: 'All' },
  filter: { vi: 'Lọc', en: 'Filter' },
  none: { vi: 'Không có hồ sơ nào.', en: 'No cases.' },
  total: { vi: 'Tổng số', en: 'Total' },
  attributes: { vi: 'Thông tin không định danh', en: 'Non-identifying attributes' },
  history: { vi: 'Quá trình xử lý', en: 'History' },
  date: { vi: 'Ngày', en: 'Date' },
  by: { vi: 'Người thực hiện', en: 'By' },
  from: { vi: 'Từ', en: 'From' },
  to: { vi: 'Đến', en: 'To' },
  moveTo: { vi: 'Chuyển giai đoạn', en: 'Change stage' },
  nextStage: { vi: 'Giai đoạn mới', en: 'New stage' },
  reopen: { vi: 'Mở lại hồ sơ', en: 'Re-open case' },
  save: { vi: 'Lưu', en: 'Save' },
  plan: { vi: 'Kế hoạch hỗ trợ', en: 'Case plan' },
  goal: { vi: 'Mục tiêu', en: 'Goal' },
  addGoal: { vi: 'Thêm mục tiêu', en: 'Add goal' },
  targetDate: { vi: 'Hạn', en: 'Target date' },
  services: { vi: 'Dịch vụ đã cung cấp', en: 'Services' },
  logService: { vi: 'Ghi nhanh dịch vụ', en: 'Quick service log' },
  serviceKind: { vi: 'Loại dịch vụ', en: 'Service' },
  duration: { vi: 'Thời lượng (phút)', en: 'Duration (minutes)' },
  staffMember: { vi: 'Cán bộ', en: 'Staff' },
  referralTo: { vi: 'Chuyển đến (cơ quan)', en: 'Referred to (service)' },
  note: { vi: 'Ghi chú công việc', en: 'Work note' },
  noteHint: {
    vi: 'Không ghi họ tên, địa chỉ hay số điện thoại vào ghi chú.',
    en: 'Do not write names, addresses or phone numbers in notes.',
  },
  serviceLogged: { vi: 'Đã ghi dịch vụ.', en: 'Service logged.' },
  saved: { vi: 'Đã lưu.', en: 'Saved.' },
  consents: { vi: 'Sự đồng ý', en: 'Consent' },
  consentKind: { vi: 'Nội dung', en: 'Consent for' },
  consentAction: { vi: 'Đồng ý / rút lại', en: 'Granted / withdrawn' },
  givenBy: { vi: 'Người đồng ý', en: 'Given by' },
  givenByName: { vi: 'Họ tên người đồng ý', en: 'Name of the person consenting' },
  recordConsent: { vi: 'Ghi nhận sự đồng ý', en: 'Record consent' },
  identity: { vi: 'Thông tin nhận dạng', en: 'Identifying information' },
  identityHint: {
    vi: 'Chỉ cán bộ CTXH phụ trách địa bàn và quản trị viên được xem. Mỗi lần xem được ghi lại cùng lý do.',
    en: 'Only the caseworker of the area and admins may see this. Each view is recorded with its reason.',
  },
  reason: { vi: 'Lý do xem', en: 'Reason' },
  reveal: { vi: 'Xem thông tin nhận dạng', en: 'Show identifying information' },
  hide: { vi: 'Ẩn thông tin nhận dạng', en: 'Hide identifying information' },
  fullName: { vi: 'Họ và tên', en: 'Full name' },
  birthDate: { vi: 'Ngày sinh', en: 'Date of birth' },
  address: { vi: 'Địa chỉ', en: 'Address' },
  guardianName: { vi: 'Người giám hộ', en: 'Guardian' },
  guardianRelation: { vi: 'Quan hệ', en: 'Relation' },
  guardianPhone: { vi: 'Điện thoại liên hệ', en: 'Contact phone' },
  photos: { vi: 'Ảnh', en: 'Photos' },
  erased: { vi: 'Thông tin nhận dạng đã được xóa', en: 'Identifying data erased' },
  dataRights: { vi: 'Quyền đối với dữ liệu (Nghị định 13/2023)', en: 'Data rights (Decree 13/2023)' },
  exportData: { vi: 'Xuất dữ liệu của người này (JSON)', en: "Export this person's data (JSON)" },
  erase: { vi: 'Xóa thông tin nhận dạng', en: 'Erase identifying data' },
  eraseHint: {
    vi: 'Xóa vĩnh viễn họ tên, ngày sinh, địa chỉ, người giám hộ, ảnh và ghi chú. Số liệu thống kê được giữ lại ẩn danh.',
    en: 'Permanently removes name, birth date, address, guardian, photos and notes. Anonymous counts are kept.',
  },
  confirmErase: { vi: 'Tôi xác nhận xóa vĩnh viễn', en: 'I confirm permanent erasure' },
  erasureReason: { vi: 'Lý do xóa', en: 'Reason for erasure' },
  identityOptional: {
    vi: 'Thông tin nhận dạng (tách riêng, chỉ cán bộ CTXH và quản trị viên thấy)',
    en: 'Identifying information (kept apart; only caseworkers and admins see it)',
  },
  createCase: { vi: 'Mở hồ sơ', en: 'Open case' },
  fixErrors: { vi: 'Vui lòng sửa các trường được đánh dấu.', en: 'Please correct the marked fields.' },
  calls: { vi: 'Cuộc gọi', en: 'Calls' },
  logCall: { vi: 'Ghi cuộc gọi', en: 'Log a call' },
  receivedAt: { vi: 'Thời điểm', en: 'Received at' },
  callerType: { vi: 'Người gọi', en: 'Caller' },
  topic: { vi: 'Vấn đề', en: 'Topic' },
  outcome: { vi: 'Kết quả', en: 'Outcome' },
  caseCode: { vi: 'Mã hồ sơ liên quan (nếu có)', en: 'Related case code (if any)' },
  callLogged: { vi: 'Đã ghi cuộc gọi.', en: 'Call logged.' },
  callsHint: {
    vi: 'Mọi cuộc gọi đều được đếm, kể cả khi không mở hồ sơ. Không ghi tên hay số điện thoại người gọi.',
    en: 'Every call is counted, even when no case is opened. Do not record callers’ names or numbers.',
  },
  events: { vi: 'Hoạt động', en: 'Events' },
  recordEvent: { vi: 'Ghi hoạt động', en: 'Record an event' },
  eventKind: { vi: 'Loại hoạt động', en: 'Kind' },
  title: { vi: 'Tên hoạt động', en: 'Title' },
  audienceType: { vi: 'Đối tượng tham dự', en: 'Audience' },
  participants: { vi: 'Số người tham dự', en: 'Participants' },
  leaflets: { vi: 'Tờ rơi', en: 'Leaflets' },
  posters: { vi: 'Áp phích', en: 'Posters' },
  questionnaires: { vi: 'Phiếu khảo sát', en: 'Questionnaires' },
  eventRecorded: { vi: 'Đã ghi hoạt động.', en: 'Event recorded.' },
  wholeProvince: { vi: 'Toàn địa bàn', en: 'Whole area' },
  year: { vi: 'Năm', en: 'Year' },
  noWork: {
    vi: 'Bạn chỉ xem được thông tin không định danh của hồ sơ này.',
    en: 'You can see only the non-identifying attributes of this case.',
  },
  goalsSummary: { vi: 'Mục tiêu theo trạng thái', en: 'Goals by status' },
  minutes: { vi: 'phút', en: 'min' },
  servicesCount: { vi: 'Số lượt dịch vụ', en: 'Services' },
  closedCaseHint: {
    vi: 'Hồ sơ đã đóng: mở lại hồ sơ trước khi ghi dịch vụ.',
    en: 'The case is closed: re-open it before logging services.',
  },
  erasedOn: { vi: 'Đã xóa ngày', en: 'Erased on' },
  prev: { vi: 'Trang trước', en: 'Previous' },
  next: { vi: 'Trang sau', en: 'Next' },
} satisfies Record<string, L>;
