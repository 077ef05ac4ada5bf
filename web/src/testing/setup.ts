import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, beforeEach } from "vitest";
import { fakeApi } from "./fake-api";
import { FakeWebSocket } from "./fake-websocket";
import { FakeXhr } from "./fake-xhr";

// findBy*/waitFor give up after 5 s rather than 1 s: a busy two-core machine is slow, not broken.
configure({ asyncUtilTimeout: 5_000 });

// jsdom has no object URLs; attachments turn downloaded bytes into them.
let objectUrls = 0;
if (!URL.createObjectURL) URL.createObjectURL = () => `blob:fake/${(objectUrls += 1)}`;
if (!URL.revokeObjectURL) URL.revokeObjectURL = () => undefined;

beforeEach(() => {
  window.localStorage.clear();
  fakeApi.install();
  FakeXhr.install();
  FakeWebSocket.install();
});

afterEach(() => {
  cleanup();
  fakeApi.uninstall();
  window.localStorage.clear();
});
