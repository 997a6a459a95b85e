import { createReadStream } from "node:fs";
import { sendAttachment } from "../../server/attachment.ts";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { backupForDownload, GZIP_TYPE } from "./service.ts";

export async function backupRoutes(app: App) {
  app.get(
    "/api/v1/system/backup",
    {
      config: { action: "system.backup" },
      schema: {
        tags: ["Hệ thống"],
        summary: "Tải bản sao lưu toàn bộ dữ liệu (quản trị viên toàn quốc)",
        description:
          "Một ảnh chụp nhất quán của mọi bảng (NDJSON nén gzip, kèm tổng kiểm SHA-256 từng bảng), " +
          "khôi phục bằng `xhht restore <tệp>`. `xhht backup <tệp> --from <địa chỉ> --token <mã>` tải tệp này.",
        produces: [GZIP_TYPE],
      },
    },
    async (request, reply) => {
      const backup = await backupForDownload(app.database.db, principalOf(request), auditContextOf(request));
      const body = createReadStream(backup.file);
      body.once("close", backup.cleanup);
      reply.header("content-length", backup.size);
      return sendAttachment(reply, GZIP_TYPE, backup.name, body);
    },
  );
}
