import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { AuthProvider } from "../auth/AuthContext";
import { signIn } from "../test/fakeServer";
import { UploadPanel } from "./UploadPanel";

class FakeXhr {
  static last: FakeXhr | null = null;
  upload = { onprogress: null as ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  statusText = "";
  responseText = "";
  headers: Record<string, string> = {};
  sent: FormData | null = null;
  open() {}
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  abort() {}
  send(body: FormData) {
    this.sent = body;
    FakeXhr.last = this;
  }
  respond(status: number, body: unknown) {
    this.upload.onprogress?.({ lengthComputable: true, loaded: 10, total: 10 });
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

describe("UploadPanel", () => {
  beforeEach(() => {
    signIn({ id: 1, username: "root", role: "admin" });
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    FakeXhr.last = null;
  });

  function renderPanel(onUploaded = vi.fn()) {
    render(
      <AuthProvider>
        <UploadPanel maxBytes={1024} onUploaded={onUploaded} />
      </AuthProvider>,
    );
    return onUploaded;
  }

  it("refuses unsupported and oversized files before sending anything", async () => {
    renderPanel();
    const input = screen.getByLabelText("选择文件");
    await userEvent.upload(input, [new File(["x"], "notes.exe"), new File(["x".repeat(2048)], "big.md")], { applyAccept: false });
    const list = screen.getByRole("list", { name: "上传进度" });
    expect(within(list).getByText("notes.exe").closest("li")).toHaveTextContent("不支持这种文件类型");
    expect(within(list).getByText("big.md").closest("li")).toHaveTextContent("文件超过上传大小上限（1 KB）");
    expect(FakeXhr.last).toBeNull();
  });

  it("uploads with the token and shows the result's chunks and line errors", async () => {
    const onUploaded = renderPanel();
    await userEvent.upload(screen.getByLabelText("选择文件"), new File(["hanzi\tgloss\n"], "bad.tsv"));
    const xhr = FakeXhr.last;
    expect(xhr?.headers.Authorization).toBe("Bearer access-1");
    expect((xhr?.sent?.get("files") as File).name).toBe("bad.tsv");
    act(() => xhr?.respond(200, { results: [{ filename: "bad.tsv", status: "failed", document_id: null, title: null, chunks: 0, errors: ["bad.tsv:2: no entries"], warnings: [] }], seconds: 0.1 }));
    const item = (await screen.findByText("bad.tsv:2: no entries")).closest("li");
    expect(item).toHaveTextContent("失败");
    await vi.waitFor(() => expect(onUploaded).toHaveBeenCalled());
  });
});
