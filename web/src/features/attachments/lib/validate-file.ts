/**
 * Client-side checks before an upload, mirroring the server's rules (SPEC "Attachment"): at most
 * 10 MB, and only images, PDF, text, CSV, Office (OOXML) and OpenDocument files. The server
 * still decides from the file's bytes; this only spares the user a pointless upload.
 */
import { formatBytes } from "@/lib/format";

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES_PER_MESSAGE = 10;

const TYPES: Record<string, string[]> = {
  "image/png": [".png"],
  "image/jpeg": [".jpg", ".jpeg", ".jpe", ".jfif"],
  "image/gif": [".gif"],
  "image/webp": [".webp"],
  "application/pdf": [".pdf"],
  "text/plain": [".txt"],
  "text/csv": [".csv"],
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [".docx"],
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": [".pptx"],
  "application/vnd.oasis.opendocument.text": [".odt"],
  "application/vnd.oasis.opendocument.spreadsheet": [".ods"],
  "application/vnd.oasis.opendocument.presentation": [".odp"],
};

const EXTENSIONS = new Set(Object.values(TYPES).flat());

/** For the picker's `accept` attribute. */
export const ACCEPT = [...Object.keys(TYPES), ...EXTENSIONS].join(",");

export const ALLOWED_DESCRIPTION = "Images (PNG, JPEG, GIF, WebP), PDF, text, CSV, Word, Excel, PowerPoint, OpenDocument";

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

/** Why a file cannot be uploaded, or null when it may be. */
export function checkFile(file: File): string | null {
  if (file.size === 0) return "The file is empty.";
  if (file.size > MAX_FILE_BYTES) {
    return `The file is larger than the ${formatBytes(MAX_FILE_BYTES)} limit.`;
  }
  const extension = extensionOf(file.name);
  if (extension) return EXTENSIONS.has(extension) ? null : "This type of file is not allowed.";
  return file.type && TYPES[file.type] ? null : "This type of file is not allowed.";
}
