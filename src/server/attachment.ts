import type { Readable } from "node:stream";
import type { FastifyReply } from "fastify";

export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Send `body` as a file to download, named `file`. */
export function sendAttachment(reply: FastifyReply, type: string, file: string, body: Buffer | Readable) {
  return reply.type(type).header("content-disposition", `attachment; filename="${file}"`).send(body);
}

/** Send an Excel workbook to download, named `file` (ending in .xlsx). */
export function sendXlsx(reply: FastifyReply, file: string, body: Buffer) {
  return sendAttachment(reply, XLSX_TYPE, file, body);
}
