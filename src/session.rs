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
}

#[derive(Clone, Copy)]
pub struct Session {
    signed_in: RwSignal<Option<SignedIn>>,
    pub draft: RwSignal<SignInDraft>,
    /// Shown once on the sign-in page after the session ended by itself.
    notice: RwSignal<Option<String>>,
    ended: RwSignal<Option<SignOutReason>>,
}

impl Session {
    pub fn new(draft: SignInDraft) -> Session {
        Session {
            signed_in: RwSignal::new(None),
            draft: RwSignal::new(draft),
            notice: RwSignal::new(None),
            ended: RwSignal::new(None),
        }
    }

    pub fn sign_in(&self, client: ApiClient, me: Me, draft: SignInDraft) {
        self.draft.set(draft);
        self.notice.set(None);
        self.ended.set(None);
        self.signed_in.set(Some(SignedIn { client, me }));
    }

    /// Drops the client, and with it the only copy of the credential.
    pub fn sign_out(&self, reason: SignOutReason) {
        let notice = match reason {
            SignOutReason::User => None,
            SignOutReason::Idle => Some(
                "The console locked itself after a period without activity. Sign in again to continue.".to_string(),
            ),
            SignOutReason::Rejected => Some(
                "The API no longer accepts this credential (401): it may have expired or been deleted. Sign in again."
                    .to_string(),
            ),
        };
        self.signed_in.set(None);
        self.notice.set(notice);
        self.ended.set(Some(reason));
    }

    pub fn is_signed_in(&self) -> bool {
        self.signed_in.with(Option::is_some)
    }

    pub fn signed_in(&self) -> Option<SignedIn> {
        self.signed_in.get()
    }

    pub fn client(&self) -> Option<ApiClient> {
        self.signed_in.with(|s| s.as_ref().map(|s| s.client.clone()))
    }

    pub fn me(&self) -> Option<Me> {
        self.signed_in.with(|s| s.as_ref().map(|s| s.me.clone()))
    }

    /// Every failed request passes here: a 401 means the credential is no
    /// longer good, so the session ends (keeping region and username).
    pub fn note_error(&self, error: &crate::api::ApiError) {
        if error.is_unauthorized() {
            self.sign_out(SignOutReason::Rejected);
        }
    }

    pub fn take_notice(&self) -> Option<String> {
        let notice = self.notice.get_untracked();
        self.notice.set(None);
        notice
    }

    pub fn ended(&self) -> Option<SignOutReason> {
        self.ended.get()
    }
}
