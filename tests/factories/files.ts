import iconv from "iconv-lite";
import yauzl from "yauzl";
import * as filesRoute from "../../app/routes/files.$id";
import { makeRequest } from "./index";

/** A stored file as `/files/:id` gives it to `cookie`'s account (the Response, or the refusal thrown). */
export async function downloadFile(fileId: string, cookie: string): Promise<Response> {
  return (await filesRoute
    .loader({ request: makeRequest(`/files/${fileId}`, { cookie }), params: { id: fileId }, context: {} })
    .catch((e: unknown) => e)) as Response;
}

/** Every entry of a zip, by name, in its order. */
export function unzipBuffer(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on("entry", (e: yauzl.Entry) =>
        zip.openReadStream(e, (er, s) => {
          if (er || !s) return reject(er);
          const parts: Buffer[] = [];
          s.on("data", (b: Buffer) => parts.push(b));
          s.on("end", () => {
            out.set(e.fileName, Buffer.concat(parts));
            zip.readEntry();
          });
        }),
      );
      zip.on("end", () => resolve(out));
      zip.readEntry();
    }),
  );
}

/** A dBASE file read by hand (header, fields, GBK records), independent of the library that wrote it. */
export function readDbf(buf: Buffer) {
  const records = buf.readUInt32LE(4);
  const headerLength = buf.readUInt16LE(8);
  const recordLength = buf.readUInt16LE(10);
  const fields: Array<{ name: string; type: string; size: number }> = [];
  for (let o = 32; buf[o] !== 0x0d; o += 32)
    fields.push({
      name: buf
        .subarray(o, o + 11)
        .toString("latin1")
        .replace(/\0.*$/, ""),
      type: String.fromCharCode(buf[o + 11]),
      size: buf[o + 16],
    });
  const rows: Array<Record<string, string>> = [];
  for (let i = 0; i < records; i++) {
    let o = headerLength + i * recordLength + 1; // after the deletion flag
    const rec: Record<string, string> = {};
    for (const f of fields) {
      rec[f.name] = iconv.decode(buf.subarray(o, o + f.size), "gbk").trimEnd();
      o += f.size;
    }
    rows.push(rec);
  }
  return { version: buf[0], codePage: buf[29], fields, rows };
}
