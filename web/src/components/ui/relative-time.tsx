import { formatExact, formatRelative } from "@/lib/format";
import { useNow } from "./use-now";

/** "5 minutes ago", with the exact time on hover (title) and in the markup (dateTime). */
export function RelativeTime({ value, prefix }: { value: string; prefix?: string }) {
  const now = useNow();
  const exact = formatExact(value);
  return (
    <time dateTime={value} title={exact}>
      {prefix}
      {formatRelative(value, now)}
    </time>
  );
}
