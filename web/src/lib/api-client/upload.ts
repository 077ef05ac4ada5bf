/** File uploads with progress, over XMLHttpRequest. */

import { errorFromResponse, networkError, sessionEnded } from "./errors";
import { buildUrl } from "./http";
import { refreshAccessToken } from "./refresh";
import { tokenStore } from "./tokens";

export interface UploadOptions {
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

interface XhrResult {
  status: number;
  headers: Headers;
  body: unknown;
}

function parseXhrHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const index = line.indexOf(":");
    if (index > 0) {
      try {
        headers.append(line.slice(0, index).trim(), line.slice(index + 1).trim());
      } catch {
        // A header the Headers class refuses is not one we need.
      }
    }
  }
  return headers;
}

function xhrSend(url: string, form: FormData, access: string | null, options: UploadOptions): Promise<XhrResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Accept", "application/json");
    if (access) xhr.setRequestHeader("Authorization", `Bearer ${access}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      const headers = parseXhrHeaders(xhr.getAllResponseHeaders());
      let body: unknown = null;
      if (xhr.responseText) {
        try {
          body = JSON.parse(xhr.responseText) as unknown;
        } catch {
          body = xhr.responseText;
        }
      }
      resolve({ status: xhr.status, headers, body });
    };
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    if (options.signal) {
      if (options.signal.aborted) {
        reject(new DOMException("The upload was cancelled.", "AbortError"));
        return;
      }
      options.signal.addEventListener("abort", () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}

/**
 * POST multipart data with upload progress (fetch cannot report it, XMLHttpRequest can), with
 * the same token, refresh and error rules as every other call.
 */
export async function apiUpload<T>(path: string, form: FormData, options: UploadOptions = {}): Promise<T> {
  const url = buildUrl(path);
  const access = tokenStore.get()?.access ?? null;
  let result = await xhrSend(url, form, access, options);
  if (result.status === 401 && access) {
    const refreshed = await refreshAccessToken(access);
    if (!refreshed) throw sessionEnded();
    options.onProgress?.(0);
    result = await xhrSend(url, form, tokenStore.get()?.access ?? null, options);
    if (result.status === 401) {
      tokenStore.clear();
      throw sessionEnded();
    }
  }
  if (result.status < 200 || result.status >= 300) {
    throw errorFromResponse(result.status, result.headers, result.body);
  }
  options.onProgress?.(1);
  return result.body as T;
}
