import { useCallback, useMemo, useRef, useState } from "react";

interface SelectionState {
  scope: string;
  ids: Set<string>;
}

/**
 * Which rows of the visible page are selected. A selection belongs to one `scope` (the filters
 * and page it was made on): when the scope changes it is empty again, so an action only ever
 * applies to tickets the agent can see. Shift-click selects a range from the last clicked row.
 */
export function useSelection(scope: string, visibleIds: string[]) {
  const [state, setState] = useState<SelectionState>({ scope, ids: new Set() });
  const anchor = useRef<{ scope: string; index: number } | null>(null);
  const ids = useMemo(() => {
    if (state.scope !== scope) return new Set<string>();
    // Keep only rows still on the page (a refetch may have moved some away).
    return new Set([...state.ids].filter((id) => visibleIds.includes(id)));
  }, [state, scope, visibleIds]);

  const toggle = useCallback(
    (id: string, options: { range?: boolean; checked?: boolean } = {}) => {
      const index = visibleIds.indexOf(id);
      if (index < 0) return;
      const checked = options.checked ?? !ids.has(id);
      const next = new Set(ids);
      const from = options.range && anchor.current?.scope === scope ? anchor.current.index : index;
      const [start, end] = from < index ? [from, index] : [index, from];
      for (const rowId of visibleIds.slice(start, end + 1)) {
        if (checked) next.add(rowId);
        else next.delete(rowId);
      }
      anchor.current = { scope, index };
      setState({ scope, ids: next });
    },
    [ids, scope, visibleIds],
  );

  const setAll = useCallback(
    (checked: boolean) => setState({ scope, ids: checked ? new Set(visibleIds) : new Set() }),
    [scope, visibleIds],
  );

  const clear = useCallback(() => setState({ scope, ids: new Set() }), [scope]);

  const all = visibleIds.length > 0 && visibleIds.every((id) => ids.has(id));
  const some = ids.size > 0 && !all;
  return { selected: ids, toggle, setAll, clear, all, some, count: ids.size };
}
