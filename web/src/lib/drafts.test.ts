import { describe, expect, it } from "vitest";
import { clearDrafts, draftKey, readDraft, removeDraftIfSent, saveDraft } from "./drafts";

describe("drafts", () => {
  it("keys a draft by the signed-in user and what it is for", () => {
    expect(draftKey("user-1", { kind: "new-ticket" })).toBe("desk.draft:user-1:new-ticket");
    expect(draftKey("user-1", { kind: "new-ticket-for-customer" })).toBe("desk.draft:user-1:new-ticket-for-customer");
    expect(draftKey("user-1", { kind: "new-ticket-for-customer", customerId: "user-9" })).toBe(
      "desk.draft:user-1:new-ticket-for-customer:user-9",
    );
    expect(draftKey("user-1", { kind: "reply", ticketId: "t-1" })).toBe("desk.draft:user-1:reply:t-1");
    expect(draftKey("user-1", { kind: "note", ticketId: "t-1" })).toBe("desk.draft:user-1:note:t-1");
  });

  it("keeps values as JSON, forgets them when saved as null, and reads garbage as nothing", () => {
    saveDraft("desk.draft:u:new-ticket", { title: "Refund" });
    expect(readDraft("desk.draft:u:new-ticket")).toEqual({ title: "Refund" });
    saveDraft("desk.draft:u:new-ticket", null);
    expect(window.localStorage.getItem("desk.draft:u:new-ticket")).toBeNull();
    window.localStorage.setItem("desk.draft:u:reply:t", "{not json");
    expect(readDraft("desk.draft:u:reply:t")).toBeNull();
  });

  it("forgets a sent text only if the draft was not changed since", () => {
    saveDraft("desk.draft:u:reply:t", "Next message");
    removeDraftIfSent("desk.draft:u:reply:t", "First message");
    expect(readDraft("desk.draft:u:reply:t")).toBe("Next message");
    removeDraftIfSent("desk.draft:u:reply:t", "Next message");
    expect(readDraft("desk.draft:u:reply:t")).toBeNull();
  });

  it("clears every user's drafts and nothing else", () => {
    saveDraft(draftKey("user-1", { kind: "new-ticket" }), { title: "A" });
    saveDraft(draftKey("user-2", { kind: "reply", ticketId: "t" }), "B");
    window.localStorage.setItem("desk.refresh", "token");
    clearDrafts();
    expect(Object.keys(window.localStorage)).toEqual(["desk.refresh"]);
  });
});
