import { describe, expect, it } from "vitest";
import { aPolicy } from "@/features/sla-admin/testing/fake-sla-api";
import { moveTo } from "./reorder";

describe("moving a policy", () => {
  it("shifts the others and keeps positions 1…n", () => {
    const policies = [
      aPolicy({ id: "a", position: 1 }),
      aPolicy({ id: "b", position: 2 }),
      aPolicy({ id: "c", position: 3 }),
    ];
    expect(moveTo(policies, "c", 1).map(({ id, position }) => [id, position])).toEqual([
      ["c", 1],
      ["a", 2],
      ["b", 3],
    ]);
    expect(moveTo(policies, "a", 9).map(({ id }) => id)).toEqual(["b", "c", "a"]);
  });
});
