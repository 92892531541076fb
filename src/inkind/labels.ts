import type { AdjustReason, ItemCategory, ItemCondition, ItemUnit, MovementKind, ValuationSource } from '../db/schema';

type L = { vi: string; en: string };

export const CATEGORY_LABEL: Record<ItemCategory, L> = {
  clothing: { vi: 'Quần áo', en: 'Clothing' },
  school_supplies: { vi: 'Đồ dùng học tập', en: 'School supplies' },
  toys: { vi: 'Đồ chơi', en: 'Toys' },
  food: { vi: 'Thực phẩm', en: 'Food' },
  hygiene: { vi: 'Vệ sinh cá nhân', en: 'Hygiene' },
  medical: { vi: 'Y tế', en: 'Medical' },
  other: { vi: 'Khác', en: 'Other' },
};

export const UNIT_LABEL: Record<ItemUnit, L> = {
  piece: { vi: 'chiếc', en: 'piece' },
  set: { vi: 'bộ', en: 'set' },
  kg: { vi: 'kg', en: 'kg' },
  box: { vi: 'hộp', en: 'box' },
  pack: { vi: 'gói', en: 'pack' },
  bag: { vi: 'túi', en: 'bag' },
  bottle: { vi: 'chai', en: 'bottle' },
  pair: { vi: 'đôi', en: 'pair' },
  book: { vi: 'cuốn', en: 'book' },
};

export const CONDITION_LABEL: Record<ItemCondition, L> = {
  new: { vi: 'Mới', en: 'New' },
  good: { vi: 'Còn tốt', en: 'Good' },
  used: { vi: 'Đã qua sử dụng', en: 'Used' },
};

export const SOURCE_LABEL: Record<ValuationSource, L> = {
  donor_invoice: { vi: 'Hóa đơn của nhà tài trợ', en: "Donor's invoice" },
  market_survey: { vi: 'Khảo sát giá thị trường', en: 'Market price survey' },
  staff_estimate: { vi: 'Cán bộ ước tính', en: 'Staff estimate' },
  none: { vi: 'Chưa định giá', en: 'Not valued' },
};

export const REASON_LABEL: Record<AdjustReason, L> = {
  damaged: { vi: 'Hư hỏng', en: 'Damaged' },
  expired: { vi: 'Hết hạn', en: 'Expired' },
  count_correction: { vi: 'Điều chỉnh theo kiểm kê', en: 'Count correction' },
  other: { vi: 'Lý do khác', en: 'Other' },
};

export const KIND_LABEL: Record<MovementKind, L> = {
  receive: { vi: 'Nhập', en: 'Received' },
  transfer_out: { vi: 'Chuyển đi', en: 'Transferred out' },
  transfer_in: { vi: 'Chuyển đến', en: 'Transferred in' },
  distribute: { vi: 'Cấp phát', en: 'Distributed' },
  adjust: { vi: 'Điều chỉnh', en: 'Adjusted' },
  return: { vi: 'Trả lại kho', en: 'Returned' },
};
