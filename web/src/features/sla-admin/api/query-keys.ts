/** This feature's query keys: policies show calendar names and calendars count their policies. */
export const slaAdminKeys = {
  all: ["sla-admin"] as const,
  calendars: () => [...slaAdminKeys.all, "calendars"] as const,
  policies: () => [...slaAdminKeys.all, "policies"] as const,
};
