import { useMemo } from "react";
import { linkify } from "@/lib/linkify";

/**
 * Text someone wrote, with its web addresses as links that open in a new tab without giving the
 * page a handle on this one (noopener, noreferrer) or any ranking credit (nofollow). Everything
 * else is rendered as text by React: nothing in it is ever read as HTML.
 */
export function LinkifiedText({ text }: { text: string }) {
  const parts = useMemo(() => linkify(text), [text]);
  return (
    <>
      {parts.map((part, index) =>
        part.kind === "link" ? (
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer nofollow">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
