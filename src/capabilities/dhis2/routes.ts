/** `/api/v1/dhis2/…`: the mapping, the export of a unit's figures and the import of targets (docs/DHIS2.md). */
import { sendAttachment } from "../../server/attachment.ts";
import { problems } from "../../server/problem.ts";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { dataValueSetCsv, FileProblem, readCsvDataValueSet, readJsonDataValueSet } from "./data-value-set.ts";
import { DataValueSetOut, ExportQuery, ImportQuery, ImportResult, MappingView } from "./schemas.ts";
import { exportDataValues, importDataValues, mappingView } from "./service.ts";

const tags = ["DHIS2"];
const CSV_TYPE = "application/csv; charset=utf-8";
/** A DHIS2 file of a province and its communes stays far below this. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

const EXPORT_NOTE =
  "Đơn vị và các đơn vị trực thuộc có mã hành chính chính thức; mỗi phần tử dữ liệu của bảng ánh xạ mà đơn vị có số liệu trong kỳ " +
  "(đơn vị chưa có số liệu của một nguồn thì không có giá trị: không ghi 0). Nhập vào DHIS2 bằng " +
  "`POST /api/dataValueSets?dataElementIdScheme=CODE&orgUnitIdScheme=CODE`.";

export async function dhis2Routes(app: App) {
  const { db } = app.database;

  // A CSV file arrives as text (DHIS2 sends application/csv).
  app.addContentTypeParser(
    ["text/csv", "application/csv"],
    { parseAs: "string", bodyLimit: MAX_FILE_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.get(
    "/api/v1/dhis2/mapping",
    {
      config: { action: "stats.read" },
      schema: {
        tags,
        summary: "Bảng ánh xạ chỉ số XHHT ↔ phần tử dữ liệu DHIS2",
        response: { 200: MappingView },
      },
    },
    async () => mappingView(),
  );

  app.get(
    "/api/v1/dhis2/dataValueSets.json",
    {
      config: { action: "stats.read" },
      schema: {
        tags,
        summary:
          "Số liệu của một đơn vị và các đơn vị trực thuộc theo định dạng dataValueSets (JSON) của DHIS2",
        description: EXPORT_NOTE,
        querystring: ExportQuery,
        response: { 200: DataValueSetOut },
      },
    },
    async (request, reply) => {
      const out = await exportDataValues(db, principalOf(request), request.query);
      reply.header(
        "content-disposition",
        `attachment; filename="xhht-dhis2-${out.unit.code ?? out.unit.id}-${out.period}.json"`,
      );
      return { dataValues: out.dataValues };
    },
  );

  app.get(
    "/api/v1/dhis2/dataValueSets.csv",
    {
      config: { action: "stats.read" },
      schema: {
        tags,
        summary: "Số liệu của một đơn vị và các đơn vị trực thuộc theo định dạng CSV của DHIS2",
        description: EXPORT_NOTE,
        querystring: ExportQuery,
        produces: [CSV_TYPE],
      },
    },
    async (request, reply) => {
      const out = await exportDataValues(db, principalOf(request), request.query);
      return sendAttachment(
        reply,
        CSV_TYPE,
        `xhht-dhis2-${out.unit.code ?? out.unit.id}-${out.period}.csv`,
        Buffer.from(dataValueSetCsv(out.dataValues), "utf8"),
      );
    },
  );

  app.post(
    "/api/v1/dhis2/dataValueSets",
    {
      config: { action: "target.manage" },
      bodyLimit: MAX_FILE_BYTES,
      schema: {
        tags,
        summary:
          "Nhập chỉ tiêu từ tệp dataValueSets của DHIS2 (JSON hoặc CSV): kiểm tra thử trước, rồi nhập tất cả hoặc không gì",
        description:
          "Thân yêu cầu là chính tệp: application/json (dataValueSets) hoặc application/csv, text/csv (các cột của DHIS2). " +
          "Giá trị trở thành chỉ tiêu (report_targets) của chỉ số báo cáo được ánh xạ, đơn vị và kỳ; số liệu thực hiện của XHHT " +
          "luôn tính từ hồ sơ và không bao giờ bị ghi đè. `mode=auto`: chỉ các phần tử dữ liệu chỉ tiêu (…_CT) được nhập, các " +
          "phần tử số liệu thực hiện được bỏ qua; `mode=targets`: mọi giá trị của tệp là chỉ tiêu. `dryRun=true` (mặc định): chỉ " +
          "kiểm tra. Nhập thật: nếu một giá trị lỗi thì không ghi gì (400, lỗi theo từng dòng).",
        querystring: ImportQuery,
        response: { 200: ImportResult },
      },
    },
    async (request) => {
      let values: ReturnType<typeof readJsonDataValueSet>;
      try {
        values =
          typeof request.body === "string"
            ? readCsvDataValueSet(request.body)
            : readJsonDataValueSet(request.body);
      } catch (error) {
        if (error instanceof FileProblem) throw problems.badRequest("dhis2_file", error.message);
        throw error;
      }
      return importDataValues(db, principalOf(request), request.query, values, auditContextOf(request));
    },
  );
}
