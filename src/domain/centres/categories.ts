/**
 * The community learning centres' activity categories: the official breakdown of seed 004's
 * table "Kết quả đạt được cụ thể" (labels copied from it exactly). Kept as data: the migration
 * seeds the same list into `centre_categories` (version 1); a later version adds rows there, it
 * never edits these. A test checks that the database and this list agree.
 */
export interface CentreCategory {
  code: string;
  /** Position in the official table (the "TT" column). */
  position: number;
  label: string;
}

export const CENTRE_CATEGORY_VERSION = 1;

export const CENTRE_CATEGORIES: readonly CentreCategory[] = [
  { code: "literacy", position: 1, label: "Học chương trình xóa mù chữ, giáo dục trương trình sau biết chữ" },
  { code: "vocational", position: 2, label: "Học nghề ngắn hạn" },
  { code: "legal", position: 3, label: "Chuyên đề Giáo dục pháp luật" },
  { code: "health", position: 4, label: "Chuyên đề Giáo dục sức khỏe" },
  { code: "environment", position: 5, label: "Chuyên đề Giáo dục môi trường" },
  { code: "culture_society", position: 6, label: "Chuyên đề Văn hóa xã hội" },
  { code: "economy", position: 7, label: "Chuyên đề Phát triển kinh tế" },
  { code: "life_skills", position: 8, label: "Chuyên đề Giáo dục kỹ năng sống" },
  { code: "other", position: 9, label: "Chuyên đề của chương trình khác" },
  { code: "arts_sports", position: 10, label: "Các chương trình văn nghệ, thể dục thể thao được phổ biến" },
];

export const FUNDING_SOURCES = ["state_budget", "socialisation", "learners"] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];
export const FUNDING_SOURCE_LABELS: Record<FundingSource, string> = {
  state_budget: "Kinh phí hỗ trợ từ ngân sách nhà nước",
  socialisation: "Kinh phí do xã hội hóa",
  learners: "Kinh phí do học viên tự nguyện đóng góp",
};

export const CENTRE_RATINGS = ["tot", "kha", "trung_binh", "yeu"] as const;
export type CentreRating = (typeof CENTRE_RATINGS)[number];
export const CENTRE_RATING_LABELS: Record<CentreRating, string> = {
  tot: "Tốt",
  kha: "Khá",
  trung_binh: "Trung bình",
  yeu: "Yếu",
};

export const BOARD_ROLES = ["director", "deputy", "member"] as const;
export type BoardRole = (typeof BOARD_ROLES)[number];
export const BOARD_ROLE_LABELS: Record<BoardRole, string> = {
  director: "Giám đốc",
  deputy: "Phó giám đốc",
  member: "Thành viên",
};
