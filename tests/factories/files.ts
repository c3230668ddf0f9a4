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
