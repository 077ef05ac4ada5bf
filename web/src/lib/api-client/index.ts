/**
 * The one way the web app talks to the API.
 *
 * - Puts the bearer token on every call and keeps the tokens in localStorage.
 * - On a 401 it refreshes the access token once (one refresh at a time: refresh tokens rotate,
 *   so two concurrent refreshes with the same token would sign the user out) and retries.
 * - When the refresh is refused it signs out.
 * - Every failure becomes an ApiError carrying SPEC's code, a sentence to show, and the
 *   per-field messages for forms.
 */

export { ApiError, errorFromResponse, errorMessage, isApiError, type FieldErrors } from "./errors";
export { API_BASE, buildUrl, type QueryValue } from "./http";
export { refreshAccessToken, replaceSession } from "./refresh";
export {
  api,
  apiBlob,
  apiDownload,
  apiRequest,
  filenameFromDisposition,
  type DownloadedFile,
  type RequestOptions,
} from "./request";
export { tokenStore, type Tokens } from "./tokens";
export { apiUpload, type UploadOptions } from "./upload";
