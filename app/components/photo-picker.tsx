import { useCallback, useEffect, useId, useRef, useState, type ChangeEvent } from "react";
import Cropper, { type Area, type Point } from "react-easy-crop";
import {
  CROP_FIELDS,
  PHOTO,
  checkAspect,
  checkBackground,
  checkCrop,
  checkPhotoDimensions,
  checkPhotoFile,
  clampCrop,
  defaultCrop,
  sniffImageType,
  type Crop,
  type PhotoProblem,
  type Size,
} from "~/domain/photo";
import type { photoZhCN } from "~/i18n/zh-CN/photo";

export type PhotoMessageKey = keyof typeof photoZhCN;

export interface PhotoPickerProps {
  /** Name of the file field (default "photo"). */
  name?: string;
  /** The stored photo, shown until the candidate picks another. */
  currentUrl?: string | null;
  /** The page's translator; `useT()` fits, and so does any `(key: string) => string`. */
  t: (key: PhotoMessageKey, params?: Record<string, string | number>) => string;
}

interface Picked {
  url: string;
  image: Size;
}

/**
 * PHO-7: the candidate's photo field. Without JavaScript it is a plain JPEG file input and the
 * server uses the default crop. With it, the chosen file is checked at once with the same pure
 * PHO-4 rules the server applies (type by content, file size, pixel size, background), every
 * problem is listed in plain words and blocks submission (the input's custom validity), and a 3:4
 * cropper writes the crop in source pixels to hidden fields. Nothing here touches `window` or
 * `document` while rendering, so it renders on the server.
 */
export function PhotoPicker({ name = "photo", currentUrl = null, t }: PhotoPickerProps) {
  const hintId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const imageRef = useRef<HTMLImageElement | null>(null);
  // The latest choice wins: an earlier file still decoding must not overwrite a later one.
  const choice = useRef(0);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [checking, setChecking] = useState(false);
  const [fileProblems, setFileProblems] = useState<PhotoProblem[]>([]);
  const [cropProblems, setCropProblems] = useState<PhotoProblem[]>([]);
  const [cropChecked, setCropChecked] = useState(false);
  const [position, setPosition] = useState<Point>({ x: 0, y: 0 });
  const [zoom, setZoom] = useState(1);
  const [area, setArea] = useState<Crop | null>(null);

  const problems = [...fileProblems, ...cropProblems];
  const message = problems.map((p) => t(p.key, p.params)).join(" ");

  // The browser refuses to submit the form while the photo has a problem the server would refuse.
  useEffect(() => {
    inputRef.current?.setCustomValidity(message);
  }, [message]);

  useEffect(
    () => () => {
      if (picked) URL.revokeObjectURL(picked.url);
    },
    [picked],
  );

  // Re-check the crop (size, aspect, background) shortly after the candidate stops moving it.
  useEffect(() => {
    const image = imageRef.current;
    if (!picked || !area || !image) return;
    const timer = setTimeout(() => {
      setCropProblems(checkCropArea(image, picked.image, area));
      setCropChecked(true);
    }, 120);
    return () => clearTimeout(timer);
  }, [picked, area]);

  const onChange = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.currentTarget.files?.[0];
    const mine = ++choice.current;
    setPicked(null);
    setArea(null);
    setFileProblems([]);
    setCropProblems([]);
    setCropChecked(false);
    imageRef.current = null;
    setChecking(file !== undefined);
    if (!file) return;

    let head: Uint8Array;
    try {
      head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
    } catch {
      return finish(mine, [{ key: "photo.broken" }]); // the file vanished or cannot be read
    }
    const found = checkPhotoFile({ bytes: file.size, sniffedType: sniffImageType(head) });
    if (found.length > 0) return finish(mine, found);

    const url = URL.createObjectURL(file);
    const image = new Image();
    image.src = url;
    try {
      await image.decode();
    } catch {
      URL.revokeObjectURL(url);
      return finish(mine, [{ key: "photo.broken" }]);
    }
    // Browsers apply EXIF orientation, as the server's autoOrient does: the sizes agree.
    const size = { width: image.naturalWidth, height: image.naturalHeight };
    const tooSmallOrBig = checkPhotoDimensions(size);
    if (tooSmallOrBig || choice.current !== mine) {
      URL.revokeObjectURL(url);
      return finish(mine, tooSmallOrBig ? [tooSmallOrBig] : []);
    }
    imageRef.current = image;
    setPosition({ x: 0, y: 0 });
    setZoom(1);
    setArea(defaultCrop(size.width, size.height));
    setPicked({ url, image: size });
    finish(mine, []);
  };

  function finish(mine: number, found: PhotoProblem[]) {
    if (choice.current !== mine) return;
    setFileProblems(found);
    setChecking(false);
  }

  const onCropComplete = useCallback(
    (_: Area, pixels: Area) => {
      if (picked) setArea(clampCrop(pixels, picked.image));
    },
    [picked],
  );

  const maxZoom = picked ? zoomLimit(picked.image) : 1;
  const ready = picked !== null && cropChecked && !checking;

  return (
    <div className="photo-picker" style={{ display: "flex", flexDirection: "column", gap: ".6rem", maxWidth: "22rem" }}>
      <label style={{ display: "flex", flexDirection: "column", gap: ".3rem" }}>
        <span>{t("photo.label")}</span>
        <input
          ref={inputRef}
          type="file"
          name={name}
          accept="image/jpeg"
          data-testid="photo-input"
          onChange={onChange}
          aria-describedby={hintId}
        />
      </label>
      <p id={hintId} className="muted small" style={{ margin: 0 }}>
        {t("photo.requirements", { maxSize: `${PHOTO.maxInputBytes / 1024 / 1024} MB` })}
      </p>

      <div data-testid="photo-problems" aria-live="polite">
        {checking ? (
          <p className="muted small" style={{ margin: 0 }}>
            {t("photo.checking")}
          </p>
        ) : null}
        {problems.length > 0 ? (
          <div className="error" role="alert">
            <p style={{ margin: "0 0 .3rem" }}>{t("photo.problems_title")}</p>
            <ul style={{ margin: 0, paddingLeft: "1.2rem" }}>
              {problems.map((p) => (
                <li key={p.key} data-problem={p.key}>
                  {t(p.key, p.params)}
                </li>
              ))}
            </ul>
          </div>
        ) : ready ? (
          <p className="notice" role="status" style={{ margin: 0 }}>
            {t("photo.ok", { width: PHOTO.storedWidth, height: PHOTO.storedHeight })}
          </p>
        ) : null}
      </div>

      {picked ? (
        <>
          <p className="muted small" style={{ margin: 0 }}>
            {t("photo.crop_hint")}
          </p>
          <div
            data-testid="photo-cropper"
            style={{
              position: "relative",
              width: "100%",
              aspectRatio: "3 / 4",
              background: "#333",
              borderRadius: 4,
              overflow: "hidden",
              touchAction: "none",
            }}
          >
            <Cropper
              image={picked.url}
              crop={position}
              zoom={zoom}
              minZoom={1}
              maxZoom={maxZoom}
              aspect={PHOTO.aspect}
              onCropChange={setPosition}
              onZoomChange={setZoom}
              onCropComplete={onCropComplete}
              mediaProps={{ alt: t("photo.crop_alt") }}
            />
          </div>
          <label style={{ display: "flex", alignItems: "center", gap: ".5rem" }}>
            <span>{t("photo.zoom")}</span>
            <input
              type="range"
              data-testid="photo-zoom"
              min={1}
              max={maxZoom}
              step={0.01}
              value={zoom}
              onChange={(e) => setZoom(Number(e.currentTarget.value))}
              style={{ flex: 1, minHeight: "2rem" }}
            />
          </label>
          {area ? (
            <>
              <input type="hidden" name={CROP_FIELDS.x} value={area.x} />
              <input type="hidden" name={CROP_FIELDS.y} value={area.y} />
              <input type="hidden" name={CROP_FIELDS.width} value={area.width} />
              <input type="hidden" name={CROP_FIELDS.height} value={area.height} />
            </>
          ) : null}
        </>
      ) : currentUrl ? (
        <figure style={{ margin: 0 }}>
          <img
            src={currentUrl}
            alt={t("photo.current")}
            data-testid="photo-current"
            width={PHOTO.storedWidth / 3}
            height={PHOTO.storedHeight / 3}
            style={{ objectFit: "cover", border: "1px solid #ccc", borderRadius: 4 }}
          />
          <figcaption className="muted small">{t("photo.current")}</figcaption>
        </figure>
      ) : null}
    </div>
  );
}

/** Zooming in further would make the crop smaller than the minimum in source pixels. */
function zoomLimit(image: Size): number {
  const full = defaultCrop(image.width, image.height);
  return Math.min(5, Math.max(1, Math.min(full.width / PHOTO.minCropWidth, full.height / PHOTO.minCropHeight)));
}

/** The crop's own checks in the browser: inside, 3:4, large enough, and its background (on a canvas, at the stored size, like the server). */
function checkCropArea(image: HTMLImageElement, size: Size, area: Crop): PhotoProblem[] {
  const shape = checkCrop(area, size) ?? checkAspect(area) ?? checkPhotoDimensions(area);
  if (shape) return [shape];
  const canvas = document.createElement("canvas");
  canvas.width = PHOTO.storedWidth;
  canvas.height = PHOTO.storedHeight;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) return []; // no canvas (very old browser): the server still checks
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(image, area.x, area.y, area.width, area.height, 0, 0, canvas.width, canvas.height);
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const background = checkBackground(data, canvas.width, canvas.height, 4);
  return background ? [background] : [];
}
