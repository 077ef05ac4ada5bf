import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/states";
import { errorMessage } from "@/lib/api-client";

/** A list's loading placeholder or its error with a retry; null once the data is there. */
export function ListState({ query, what }: { query: UseQueryResult<unknown>; what: string }): ReactNode {
  if (query.isPending) {
    return (
      <div className="sla-loading" role="status" aria-label={`Loading ${what}`}>
        <Skeleton height="3.5rem" />
        <Skeleton height="3.5rem" />
      </div>
    );
  }
  if (query.isError) {
    return (
      <ErrorState
        title={`The ${what} could not be loaded.`}
        message={errorMessage(query.error)}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  return null;
}
