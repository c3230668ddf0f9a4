import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { cardPath } from "~/domain/check-in";
import { batchLabel } from "~/domain/rooms";
import { devicePost } from "~/utils/check-in-post.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability, requireSite } from "~/utils/permissions.server";
import { useT } from "~/utils/use-t";

/**
 * DOC-9: the phone's camera reads admission cards' QR codes and opens each candidate's check-in page.
 * The browser's own BarcodeDetector where it has one; otherwise the ZXing decoder, bundled with the
 * app and loaded only then (nothing from a CDN: the page's CSP allows none).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "check_in");
    requireSite(ctx);
    const post = await devicePost(ctx, request);
    return { post: post ? batchLabel(post.room, post.seq) : null };
  });
}

export default function Scan() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [foreign, setForeign] = useState(false);

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let stopZxing: (() => void) | null = null;
    const found = (text: string) => {
      const path = cardPath(text, window.location.origin);
      if (!path) return setForeign(true);
      stopped = true;
      window.location.assign(path);
    };
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        const v = video.current!;
        v.srcObject = stream;
        await v.play();
        const Detector = (
          window as unknown as {
            BarcodeDetector?: new (o: object) => { detect(s: HTMLVideoElement): Promise<Array<{ rawValue: string }>> };
          }
        ).BarcodeDetector;
        if (Detector) {
          const detector = new Detector({ formats: ["qr_code"] });
          while (!stopped) {
            const codes = await detector.detect(v).catch(() => []);
            if (codes[0]) found(codes[0].rawValue);
            await new Promise((r) => setTimeout(r, 150));
          }
        } else {
          const { BrowserQRCodeReader } = await import("@zxing/library");
          const reader = new BrowserQRCodeReader(150);
          stopZxing = () => reader.reset();
          await reader.decodeFromStream(stream, v, (result) => {
            if (result && !stopped) found(result.getText());
          });
        }
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      stopped = true;
      stopZxing?.();
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, []);

  return (
    <section className="check-in-scan">
      <h1>{t("checkin.scan_title")}</h1>
      {d.post ? <p className="big">{d.post}</p> : null}
      <p className="muted">{t("checkin.scan_hint")}</p>
      {error ? (
        <p className="notice error" role="alert">
          {t("checkin.camera_denied", { reason: error })}
        </p>
      ) : null}
      {foreign ? (
        <p className="notice partial" role="status">
          {t("checkin.foreign_code")}
        </p>
      ) : null}
      <video ref={video} playsInline muted className="scanner" data-testid="scanner" />
      <p>
        <Link to="/admin/check-in">{t("checkin.manual")}</Link>
      </p>
    </section>
  );
}
