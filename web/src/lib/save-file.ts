/** Hand downloaded bytes to the browser as a file saved under `filename`. */
export function saveFile(blob: Blob, filename: string): void {
  // Only the name: a server's suggestion never picks a folder.
  const name = filename.split(/[\\/]/).pop()?.trim() || "download";
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.rel = "noopener";
  link.style.display = "none";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
