import { SseParser } from "./sse";

describe("SseParser", () => {
  it("returns events only once their blank line has arrived", () => {
    const parser = new SseParser();
    expect(parser.push('event: delta\ndata: {"text":')).toEqual([]);
    expect(parser.push('"莆"}\n')).toEqual([]);
    expect(parser.push("\nevent: done\ndata: {}\n\n")).toEqual([
      { event: "delta", data: '{"text":"莆"}' },
      { event: "done", data: "{}" },
    ]);
  });

  it("handles CRLF, comments, multi-line data and a missing event name", () => {
    const parser = new SseParser();
    const events = parser.push(": heartbeat\r\n\r\ndata: line one\r\ndata: line two\r\n\r\n");
    expect(events).toEqual([{ event: "message", data: "line one\nline two" }]);
  });

  it("keeps a last event that has no blank line after it", () => {
    const parser = new SseParser();
    expect(parser.push("event: done\ndata: {}")).toEqual([]);
    expect(parser.finish()).toEqual([{ event: "done", data: "{}" }]);
    expect(parser.finish()).toEqual([]);
  });
});
