//! The signed-in session: the API client (which holds the credential), what
//! `/me` said, the chosen organisation. Memory only: a reload forgets it all.

use crate::api::me::Me;
use crate::api::ApiClient;
use crate::domain::region::Region;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct SignedIn {
    pub client: ApiClient,
    pub me: Me,
}

/// What the sign-in form keeps between visits: never the secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInDraft {
    pub region: Region,
    pub base_url: String,
    pub username: String,
}

/// Why a session ended; decides the message and whether to return afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignOutReason {
    User,
    Idle,
    Rejected,
    /// The admin deleted the account they were signed in with.
    DeletedSelf,
}

#[derive(Clone, Copy)]
pub struct Session {
    signed_in: RwSignal<Option<SignedIn>>,
    pub draft: RwSignal<SignInDraft>,
    /// Shown once on the sign-in page after the session ended by itself.
    notice: RwSignal<Option<String>>,
    ended: RwSignal<Option<SignOutReason>>,
    /// How many "Save the secret now" dialogs are open: the idle lock waits
    /// for them, since locking would destroy a secret not yet stored.
    secrets_open: RwSignal<u32>,
    /// The idle lock came due while a secret was on screen.
    lock_deferred: RwSignal<bool>,
    /// Accounts created in this session whose expiry Mixpanel did not apply,
    /// with what to tell the admin (shown again on their detail page).
    expiry_notes: RwSignal<std::collections::HashMap<u64, String>>,
}

impl Session {
    pub fn new(draft: SignInDraft) -> Session {
        Session {
            signed_in: RwSignal::new(None),
            draft: RwSignal::new(draft),
            notice: RwSignal::new(None),
            ended: RwSignal::new(None),
            secrets_open: RwSignal::new(0),
            lock_deferred: RwSignal::new(false),
            expiry_notes: RwSignal::new(Default::default()),
        }
    }

    pub fn sign_in(&self, client: ApiClient, me: Me, draft: SignInDraft) {
        self.draft.set(draft);
        self.notice.set(None);
        self.ended.set(None);
        self.signed_in.set(Some(SignedIn { client, me }));
    }

    /// Revokes the credential (every clone, every request in flight) and
    /// drops the client.
    pub fn sign_out(&self, reason: SignOutReason) {
        let notice = match reason {
            SignOutReason::DeletedSelf => Some(
                "You deleted the service account you were signed in with, so the console signed out. Sign in with another admin account to continue.".to_string(),
            ),
            SignOutReason::User => None,
            SignOutReason::Idle => Some(
                "The console locked itself after a period without activity. Sign in again to continue.".to_string(),
            ),
            SignOutReason::Rejected => Some(
                "The API no longer accepts this credential (401): it may have expired or been deleted. Sign in again."
                    .to_string(),
            ),
        };
        self.end(reason, notice);
    }

    /// Signs out with a notice of the caller's (e.g. a delete report).
    pub fn sign_out_with(&self, reason: SignOutReason, notice: String) {
        self.end(reason, Some(notice));
    }

    fn end(&self, reason: SignOutReason, notice: Option<String>) {
        if let Some(signed_in) = self.signed_in.try_get_untracked().flatten() {
            signed_in.client.revoke();
        }
        self.lock_deferred.set(false);
        self.signed_in.set(None);
        self.notice.set(notice);
        self.ended.set(Some(reason));
    }

    /// The idle timer fired: lock now, or once the secret on screen is
    /// confirmed stored.
    pub fn idle(&self) {
        if !self.is_signed_in() {
            return;
        }
        if self.secrets_open.get_untracked() > 0 {
            self.lock_deferred.set(true);
        } else {
            self.sign_out(SignOutReason::Idle);
        }
    }

    /// Remembers that a created account's expiry differs from the ask.
    pub fn note_expiry(&self, account: u64, warning: String) {
        self.expiry_notes.update(|n| {
            n.insert(account, warning);
        });
    }

    pub fn expiry_note(&self, account: u64) -> Option<String> {
        self.expiry_notes.try_with(|n| n.get(&account).cloned()).flatten()
    }

    /// Whether the idle lock is waiting for a secret dialog to close.
    pub fn lock_deferred(&self) -> bool {
        self.lock_deferred.get()
    }

    pub fn secret_opened(&self) {
        self.secrets_open.update(|n| *n += 1);
    }

    /// A secret dialog closed; a deferred lock happens now.
    pub fn secret_closed(&self) {
        self.secrets_open.update(|n| *n = n.saturating_sub(1));
        if self.secrets_open.get_untracked() == 0 && self.lock_deferred.get_untracked() {
            self.sign_out(SignOutReason::Idle);
        }
    }

    pub fn is_signed_in(&self) -> bool {
        self.signed_in.try_with(Option::is_some).unwrap_or(false)
    }

    pub fn signed_in(&self) -> Option<SignedIn> {
        self.signed_in.get()
    }

    pub fn client(&self) -> Option<ApiClient> {
        self.signed_in.try_with(|s| s.as_ref().map(|s| s.client.clone())).flatten()
    }

    pub fn me(&self) -> Option<Me> {
        self.signed_in.try_with(|s| s.as_ref().map(|s| s.me.clone())).flatten()
    }

    /// Every failed request passes here: a 401 means the credential is no
    /// longer good, so the session ends (keeping region and username).
    pub fn note_error(&self, error: &crate::api::ApiError) {
        if error.is_unauthorized() {
            self.sign_out(SignOutReason::Rejected);
        }
    }

    pub fn take_notice(&self) -> Option<String> {
        let notice = self.notice.try_get_untracked().flatten();
        self.notice.set(None);
        notice
    }

    pub fn ended(&self) -> Option<SignOutReason> {
        self.ended.get()
    }
}
