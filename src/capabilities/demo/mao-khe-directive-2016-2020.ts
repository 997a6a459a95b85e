/**
 * Seed 001's report: phường Mạo Khê (Quảng Ninh, before 2025) reviewing five years of the
 * provincial Directive 04-CT/TU on the learning society (2016–2020), written by the ward's
 * learning centre and signed for the ward's People's Committee on 16/3/2021.
 *
 * The phase has no counters of its own for these figures, so the seed's numbers are what the
 * ward types into the directive-review form: 12 people who cannot attend school for disability,
 * 130 masters and 05 doctors, 15 schools (5 nursery, 5 primary, 3 lower secondary, the rest
 * upper secondary) all meeting the national standard, 2 honouring conferences in five years.
 * The seed gives the literacy rate (100 %) but not the numbers behind it: left empty here. The
 * narrative sections are the seed's own text. Saved as a draft through the reports service, as
 * the administrator; loaded by `xhht demo` and by the test that checks the document.
 */
import type { Kysely } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import type { AuditContext } from "../audit/audit-writer.ts";
import { saveReport } from "../reports/service.ts";

export const MAO_KHE = { provinceCode: "22", code: "07069", name: "Phường Mạo Khê" } as const;
export const MAO_KHE_TEMPLATE = "directive-review";
export const MAO_KHE_PERIOD = "GD2016-2020";

/** The figures the seed writes, by the template's indicator ids. */
export const MAO_KHE_VALUES: Record<string, number> = {
  cannot_attend: 12,
  masters: 130,
  doctors: 5,
  schools_total: 15,
  schools_mam_non: 5,
  schools_tieu_hoc: 5,
  schools_thcs: 3,
  schools_thpt: 2,
  schools_standard: 15,
  learning_centres: 1,
  honouring_conferences: 2,
};

export const MAO_KHE_NARRATIVES: Record<string, string> = {
  lanh_dao:
    "- Sau khi nhận được Chỉ thị số 04-CT/TW của Ban Thường vụ Tỉnh ủy Quảng Ninh về xây dựng xã hội học tập; Ban Giám đốc Trung tâm đã xây dựng kế hoạch và tổ chức tuyên truyền, quán triệt Chỉ thị.\n- Đã kết hợp với Hội Khuyến học thị xã tỏ chức lớp tập huấn cho cán bộ đoàn thể, khu phố.\n- Đã kết hợp với Ban chỉ đạo XD XHHT phường, Hội khuyến học tổ chức thực hiện trong đó đặc biệt lưu ý thực hiện 15 tiêu chí đánh giá xếp loại cộng đồng học tập cấp xã của thông tư 44/2014/TT-BGDĐT.\n- Đã phối kết hợp với các tổ chức đoàn thể, bộ phận chức năng, các khu phố để thực hiện các tiêu chí theo yêu cầu.",
  tuyen_truyen:
    "Trong 5 năm từ 2016 đến nay đã chú trọng tuyên truyền các văn bản sau: Chỉ thị số 11-CT/TW của Bộ Chính trị, Kết luận số 49-KL/TW của Ban Bí thư, Quyết định số 89/QĐ-TTg và Quyết định số 281/QĐ-TTg của Thủ tướng Chính phủ về xây dựng xã hội học tập, học tập suốt đời… Nghị quyết số 01-NQ/TU, Chỉ thị số 04-CT/TU của tỉnh ủy và Ban Thường vụ tỉnh Quảng Ninh; Kế hoạch số 2734/KH-UNND, Kế hoạch số 4156/KH-UBND của UBND tỉnh Quảng Ninh; Chương trình số 07-CTr/TU của Thị ủy Đông Triều và Kế hoạch số 61/KH-UBND, Chương trình số 11/CTr-UBND của UBND thị xã Đông Triều; Nghị quyết Đại hội Đảng bộ phường Mạo Khê lần thứ XVI, nhiệm kỳ 2020-2025. Các chuyên đề về: “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”…",
  pcgd_xmc:
    "Phổ cập giáo dục và xóa mù chữ: Tỉ lệ biết chữ trong các độ tuổi đạt 100% số người trong độ tuổi quy định (còn 12 cháu trong độ tuổi do mắc các bệnh khuyết tật như: thần kinh, bại não… không thể đi học được: có danh sách cụ thể). Trong nhiều năm nay, địa phương không có người khong biết chữ. Hiện nay trên địa bàn phường có 130 thạc sỹ, 05 tiến sỹ.",
  tin_hoc_ngoai_ngu:
    "Về nâng cao trình độ tin học, ngoại ngữ: Đã thường xuyên kết hợp với các nhà trường để tổ chức lớp học vi tính cho cán bộ, nhân dân trong phường. Các nhà trường chú trọng việc dạy tin học, ngoại ngữ; đội ngũ giáo viên dạy 2 môn này ngày càng có tay nghề cao hơn; đã đưa người nước ngoại vào dạy ngoại ngữ. Trên địa bàn phường có nhiều Trung tâm tin học, ngại ngữ hoạt động có chất lượng, hiệu quả.",
  chuyen_mon:
    "Đã phối kết hợp với các lực lượng chức năng để mở các lớp tập huấn nhằm nâng cao trình độ nhận thức, chuyên môn, nghiệp vụ cho cán bộ, công chức, người lao động trên địa bàn phường.",
  ky_nang_song:
    "Công tác giáo dục kỹ năng sống cho học sinh, sinh viên, người lao động: Kết hợp với các nhà trường, khu phố, đoàn thể mở các câu lạ bộ giáo dục kỹ năng sống cho học sinh, người lao động trên địa bàn phường.",
  mo_hinh:
    "Việc xây dựng các mô hình xã hội học tập, học tập suốt đời: Đã chú trọng việc xây dựng và nhân rộng các điển hình tiên tiến về học suốt đời. Cụ thể: Kết hợp với Hội khuyến học tổ chức đăng ký phấn đấu đầu năm, cuối năm tham mưu để UBND phường tổ chức kiểm tra, công nhận và trao thưởng cho các tập thể, cá nhân điển hình.",
  bieu_duong:
    "Trong 5 năm địa phương đã tổ chức được 2 Hội nghị tuyên dương trao thưởng cho các tập thể và cá nhân tiêu biểu trong phong trào XD XHHT và học tập suốt đời.",
  dao_tao_tu_xa:
    "Công tác đào tạo từ xa, đào tạo trực tuyến; việc đẩy mạnh ứng dụng công nghệ thông tin trong dạy và học: Trong 5 năm đã thực hiện triệt để ứng dụng công nghệ thông tin vào hoạt động dạy và học tại trung tâm cũng như tại các nhà trường. Các buổi giảng dạy của trung tâm đều sử dụng máy chiếu để nâng cao chất lượng học tập. Trong thời gian giãn cách xã hội do dịch bệnh các nhà trường đã hướng dẫn học sinh học trực tuyến tại nhà.",
  uu_diem:
    "Mạo Khê là địa phương có truyền thống hiếu học. Đảng ủy, HĐND, UBND, UB MTTQ phường đều quan tâm đến công tác khuyến học, khuyến tài; Kinh tế của đại bộ phận người dân đều ổn định. Hệ thống giáo dục Quốc dân khá toàn diện, có 15 đơn vị trường học, trong đó có 5 trường Mầm non, 5 trường Tiểu học, 3 trường THCS, còn lại là thuộc khối Trung học Phổ thông. Trong đó có trên 100% số trường được nhà nước công nhận là trường đạt chuẩn mức độ I, II và III. Các nhà trường đều có chất lượng giáo dục tốt, luôn đi đầu trong hệ thống giáo dục của thị xã, tỉnh. Hàng năm đều có nhiều học sinh giỏi các cấp. Đội ngũ giáo viên đều đạt chuẩn và trên chuẩn theo trình độ các bậc học và đạt danh hiệu giáo viên dạy giỏi các cấp. Đây là thuận lợi cho việc phát triển giáo dục cộng đồng. Phường luôn  đạt chuẩn phổ cập Mầm non, Tiểu học, THCS sớm của thị xã đã góp phần quan trọng trong việc nâng cao dân trí cho nhân dân.",
  han_che:
    "Diện tích lớn, dân số quá đông, cán bộ làm công tác thường trực tại Trung tâm đã nghỉ hưu, tuổi cao, trong khi đó đồng chí giáo viên biệt phái đã trở về trường công tác từ tháng 10/2020 nên hạn chế đến chất lượng công việc.",
  nhiem_vu:
    "1. Tiếp tục thực hiện tốt công tác tuyên truyền, vận động\n- Tiếp tục đẩy mạnh công tác tuyên truyền, thực hiện Chỉ thị số 11-CT/TW của Bộ Chính trị, Kết luận số 49-KL/TW của Ban Bí thư Trung ương, Quyết định số 89/QĐ-TTg, Quyết định số 281/QĐ-TTg của Thủ tướng Chính phủ về xây dựng xã hội học tập, học tập suốt đời… Nghị quyết số 01-NQ/TU, Chỉ thị số 04-CT/TU của Tỉnh ủy và Ban Thường vụ tỉnh Quảng Ninh; Kế hoạch số 2734/KH-UNND, Kế hoạch số 4156/KH-UBND của UBND tỉnh Quảng Ninh; Chương trình số 07-CTr/TU của Thị ủy Đông Triều và Kế hoạch số 61/KH-UBND, Chương trình số 11/CTr-UBND của UBND thị xã Đông Triều; Nghị quyết Đại hội Đảng bộ phường Mạo Khê lần thứ XVI, nhiệm kỳ 2020-2025. Tổ chức bồi dưỡng, hướng dẫn cán bộ, hội viên, nhân dân học tập, huy động sức mạnh của toàn xã hội tham gia xây dựng và phát triển giáo dục, mọi người, mọi tổ chức đều có trách nhiệm, nghĩa vụ trong việc học tập và tham gia công tác khuyến học, khuyến tài, xây dựng xã hội học tập tại địa phương.\n- Tiếp tục tuyên truyền sâu rộng, thực hiện hiệu quả quan điểm, chủ trương, đường lối của Đảng, Nhà nước về đổi mới căn bản và toàn diện giáo dục và đào tạo, đẩy mạnh phong trào học tập suốt đời trong gia đình, dòng họ, cộng đồng dân cư. Các phong trào phải thực sự huy động sự tham gia của người dân, sự đồng lòng, chung sức của cả hệ thống chính trị, sự năng động, sáng tạo và trách nhiệm cao của nhà trường, sự chung tay, góp công góp sức của cộng đồng xã hội, đặc biệt là của các gia đình, các bậc phụ huynh.\n- Phối hợp với các nhà trường, các khu phố, các tổ chức, các lực lượng xã hội nâng cao chất lượng hiệu quả của Trung tâm học tập cộng đồng. Tuyên truyền, vận động người dân tích cực học tập thường xuyên, học tập suốt đời, xây dựng xã hội học tập, đóng góp có hiệu quả vào phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa khu dân cư”, “Xây dựng đô thị văn minh”.\n- Đẩy mạnh phong trào xây dựng “gia đình học tập”, “dòng họ học tập”, “đơn vị học tập”, “cộng đồng học tập”. Gắn phong trào xây dựng gia đình, dòng họ, đơn vị, cộng đồng học tập với phong trào xây dựng gia đình văn hóa, đơn vị văn hóa, gia đình và đơn vị sức khỏe.\n- Đẩy mạnh cuộc vận động nhân dân tích cực tham gia xã hội hóa giáo dục, đóng góp xây dựng Quỹ khuyến học, thực hiện đúng quy định của pháp luật về quản lý và sử dụng quỹ khuyến học tại địa phương.\n- Tập trung truyền truyền ý nghĩa “Ngày Khuyến học Việt Nam” với mục đích động viên các tầng lớp nhân dân, các tổ chức xã hội tham gia công tác khuyến học, khuyến tài, xây dựng xã hội học tập; tôn vinh những gương sáng hiếu học, tập thể, cá nhân có thành tích trong công tác khuyến học, khuyến tài.\n2. Phong trào thi đua xây dựng và phát triển các mô hình khuyến học\n- Các chi hội cần tập trung theo dõi hướng dẫn thực hiện lồng ghép công tác khuyến học, khuyến tài, xây dựng xã hội học tập và các mô hình, các phong trào thi đua chung của đơn vị, khu phố, địa phương.\n- Phối hợp lồng ghép hoạt động khuyến học, khuyến tài trong các tổ chức “nhân dân tự quản cộng đồng” ở địa phương và tiếp tục củng cố nâng cao chất lượng hoạt động của các tổ dân trong hoạt động khuyến học, khuyến tài.\n- Tập trung vận động nhân dân tham gia xây dựng gia đình học tập, dòng họ học tập theo Quyết định số 281/QĐ-TTg ngày 20/02/2014 của Thủ tướng Chính phủ về đẩy mạnh phong trào học tập suốt đời trong gia đình, dòng họ, cộng đồng đến năm 2025.\n- Hàng năm kiểm tra công nhận và tổ chức trao thưởng cho các gia đình, dòng họ, đơn vị học tập tiêu biểu.\n- Tham mưu cho UBND phường hoàn thiện hồ sơ minh chứng và đề nghị UBND thị xã công nhận “cộng đồng học tập” cấp phường hàng năm.\n- Thực hiện tốt công tác phối hợp với các ban ngành, đoàn thể, các khu phố, nhà trường trên địa bàn phát động phong trào khuyến học, khuyến tài, xây dựng xã hội học tập ở địa phương.\n3. Công tác tổ chức và phát triển hội viên\nThường xuyên củng cố kiện toàn bộ máy tổ chức Hội từ phường đến các khu phố, xây dựng tổ chức Hội vững mạnh. Tiếp tục tổ chức phát triển hội viên, phấn đấu mỗi một gia đình trên địa bàn phường có một hội viên khuyến học, chú ý quan tâm phát triển hội viên tương lai trong các đoàn thể.\n4. Xây dựng và phát triển Quỹ Khuyến học\n- Tích cực vận động các cơ quan, đơn vị, doanh nghiệp, các tổ chức từ thiện, nhà hảo tâm, các tổ chức và cá nhân trong ngoài phường, huy động tối đa sự đóng góp của xã hội và các hội viên để xây dựng quỹ khuyến học giúp đỡ học sinh, sinh viên nghèo có hoàn cảnh khó khăn và khen thưởng cho học sinh, sinh viên có thành tích xuất sắc trong học tập.\n- Đồng thời quản lý chặt chẽ nguồn quỹ, hỗ trợ đúng mục đích, đúng đối tượng, đảm bảo công khai cụ thể rõ ràng để tạo lòng tin với mọi người và các tổ chức, đơn vị tài trợ.\n5. Công tác tham gia phối hợp với các ngành\n- Thực hiện tốt công tác tham mưu cho Đảng ủy, UBND phường, phối kết hợp chặt chẽ với Mặt trận Tổ quốc, các đoàn thể, các chi bộ, các khu phố tạo điều kiện cho hội thực hiện tốt công tác khuyến học, khuyến tài, xây dựng xã hội học tập ở địa phương. Quan tâm chỉ đạo thực hiện tốt Quyết định số 281/QĐ-TTg ngày 20/02/2014 của Thủ tướng Chính phủ về đẩy mạnh phong trào học tập suốt đời trong gia đình, dòng họ, cộng đồng đến năm 2025.\n- Phát huy hơn nữa kết quả đạt được trong công tác phối hợp với Mặt trận Tổ quốc các đoàn thể thực hiện tốt phong trào khuyến học, khuyến tài chăm lo giúp đỡ học sinh, sinh viên nghèo có hoàn cảnh đặc biệt khó khăn, tham gia thực hiện tốt “ngày toàn dân đưa trẻ đến trường” phát động phong trào thi đua trong phụ huynh học sinh, xây dựng “Góc học tập” tại gia đình.\n6. Thực hiện công tác thi đua khen thưởng\nHàng năm căn cứ vào nội dung thi đua của Hội Khuyến học cấp trên và nhiệm vụ chính trị của địa phương, xây dựng kế hoạch cụ thể, phát động phong trào thi đua đến các chi hội, dòng họ trên địa bàn phường và cán bộ hội viên, phấn đấu thực hiện tốt nhiệm vụ khuyến học, khuyến tài, xây dựng xã hội học tập ở địa phương. Quan tâm phát hiện bồi dưỡng và nhân rộng các phong trào, các mô hình, điển hình, kịp thời khen thưởng các tập thể, cá nhân có thành tích xuất sắc để động viên khuyến khích cổ vũ phong trào thi đua chung của hội.",
};

/**
 * Load seed 001's report. Returns the ward's id, and whether anything was loaded (a ward whose
 * report for the phase exists already is left as it is).
 */
export async function loadMaoKheDirective2016To2020(
  db: Kysely<DB>,
  principal: Principal,
  ctx: AuditContext,
): Promise<{ wardId: number; loaded: boolean }> {
  const ward = await db
    .selectFrom("org_units as w")
    .innerJoin("org_units as p", "p.id", "w.parent_id")
    .select("w.id")
    .where("w.kind", "=", "commune")
    .where("w.code", "=", MAO_KHE.code)
    .where("w.valid_to", "is not", null)
    .where("p.code", "=", MAO_KHE.provinceCode)
    .executeTakeFirst();
  if (!ward) throw new Error("Chưa có phường Mạo Khê trước 2025: hãy nạp danh mục đơn vị hành chính.");
  const wardId = Number(ward.id);
  const existing = await db
    .selectFrom("reports")
    .select("id")
    .where("org_unit_id", "=", wardId)
    .where("template_code", "=", MAO_KHE_TEMPLATE)
    .where("period", "=", MAO_KHE_PERIOD)
    .executeTakeFirst();
  if (existing) return { wardId, loaded: false };
  await saveReport(
    db,
    principal,
    { template: MAO_KHE_TEMPLATE, unitId: wardId, period: MAO_KHE_PERIOD },
    {
      values: MAO_KHE_VALUES,
      narratives: MAO_KHE_NARRATIVES,
      docNumber: null,
      issuedOn: "2021-03-16",
      signerName: "Vũ Đức Quynh",
    },
    ctx,
  );
  return { wardId, loaded: true };
}
