import { useEffect, useRef, type ReactNode, type RefObject } from "react";
import type { User } from "@/lib/types";
import { ChangePasswordForm } from "./change-password-form";
import { DataExport } from "./data-export";
import { DeleteAccount } from "./delete-account";
import { EmailPreferences } from "./email-preferences";
import "./settings.css";

function Section({
  id,
  title,
  intro,
  headingRef,
  children,
}: {
  id: string;
  title: string;
  intro?: ReactNode;
  headingRef?: RefObject<HTMLHeadingElement | null>;
  children: ReactNode;
}) {
  return (
    <section className="settings-section" aria-labelledby={id}>
      <h2 id={id} ref={headingRef} tabIndex={-1}>
        {title}
      </h2>
      {intro ? <p className="muted">{intro}</p> : null}
      {children}
    </section>
  );
}

export interface SettingsPageProps {
  viewer: User;
  /** Open at a section (emails link to the notification settings). */
  section?: "notifications";
}

/** The account's settings: email notifications, password, data export and (customers) deletion. */
export function SettingsPage({ viewer, section }: SettingsPageProps) {
  const emailHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (section !== "notifications") return;
    emailHeading.current?.focus();
    emailHeading.current?.scrollIntoView?.({ block: "start" });
  }, [section]);

  return (
    <div className="page settings-page">
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      <p className="settings-who">
        Signed in as <strong>{viewer.name}</strong> ({viewer.email})
      </p>
      <Section
        id="settings-email"
        title="Email notifications"
        headingRef={emailHeading}
        intro="Choose which emails we send you. Notifications in the app (the bell) always arrive."
      >
        <EmailPreferences />
      </Section>
      <Section id="settings-password" title="Password">
        <ChangePasswordForm />
      </Section>
      <Section id="settings-data" title="Your data">
        <DataExport />
      </Section>
      {viewer.is_staff ? null : (
        <Section id="settings-delete" title="Delete your account">
          <DeleteAccount />
        </Section>
      )}
    </div>
  );
}
