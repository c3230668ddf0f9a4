import { describe, expect, it } from "vitest";
import {
  canDeleteException,
  canUploadMockReport,
  firstStatus,
  isExceptionState,
  mockReport,
  siteCbtStatuses,
} from "./cbt-uploads";

describe("DOC-8: CBT mock-exam reports and exception files", () => {
  it("DOC-8: a report starts generating, an exception file not started; no new package while a report is generating", () => {
    expect(firstStatus("mock_report")).toBe("generating");
    expect(firstStatus("exception")).toBe("not_started");
    expect(canUploadMockReport(["done", "failed"])).toBe(true);
    expect(canUploadMockReport(["done", "generating"])).toBe(false);
  });

  it("DOC-8: an exception file is deleted unless being processed; only its three states can be set", () => {
    expect(canDeleteException("not_started")).toBe(true);
    expect(canDeleteException("done")).toBe(true);
    expect(canDeleteException("processing")).toBe(false);
    expect(["not_started", "processing", "done"].every(isExceptionState)).toBe(true);
    expect(["generating", "failed", "deleted", ""].some(isExceptionState)).toBe(false);
  });

  it("DOC-8: the report counts the package's files and bytes by type, folders left out", () => {
    const r = mockReport([
      { name: "990101/", size: 0 },
      { name: "990101/KSXX.DBF", size: 1000 },
      { name: "990101/log/a.log", size: 300 },
      { name: "990101/log/b.LOG", size: 200 },
      { name: "990101/README", size: 10 },
    ]);
    expect(r).toMatchObject({ files: 4, totalBytes: 1510 });
    expect(r.byType).toEqual([
      { type: "dbf", files: 1, bytes: 1000 },
      { type: "log", files: 2, bytes: 500 },
      { type: "", files: 1, bytes: 10 },
    ]);
    expect(r.listed.map((e) => e.name)).toEqual([
      "990101/KSXX.DBF",
      "990101/log/a.log",
      "990101/log/b.LOG",
      "990101/README",
    ]);
  });

  it("DOC-8: a superior sees each site's latest report and its exception files by state, sites without uploads included", () => {
    const at = new Date("2027-03-20T08:00:00Z");
    const s = siteCbtStatuses(
      [1, 2, 3],
      [
        { id: 1, org_id: 1, kind: "mock_report", status: "failed", uploaded_at: at },
        { id: 5, org_id: 1, kind: "mock_report", status: "done", uploaded_at: at },
        { id: 2, org_id: 2, kind: "exception", status: "processing", uploaded_at: at },
        { id: 3, org_id: 2, kind: "exception", status: "not_started", uploaded_at: at },
        { id: 4, org_id: 9, kind: "exception", status: "done", uploaded_at: at },
      ],
    );
    expect(s).toEqual([
      { siteId: 1, report: "done", reportAt: at, exceptions: { not_started: 0, processing: 0, done: 0 } },
      { siteId: 2, report: null, reportAt: null, exceptions: { not_started: 1, processing: 1, done: 0 } },
      { siteId: 3, report: null, reportAt: null, exceptions: { not_started: 0, processing: 0, done: 0 } },
    ]);
  });
});
