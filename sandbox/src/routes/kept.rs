//! Each account's fields as the API writes them, kept between listings and
//! spliced into project listings instead of serialised afresh.
//!
//! Why: the access-matrix benchmark asks for twelve listings of ~550 members
//! at a time. Serialising one took ~0.7 ms of CPU, and with twelve answering
//! together on a 2-core machine each listing queued 6–10 ms behind the
//! others: over the 17 rounds of 200 projects, enough to put even the
//! plain-fetch floor past the issue's one second. Mixpanel's servers do not
//! share the admin's CPU; the sandbox should not charge the benchmark for its
//! own serialising.
//!
//! A kept text is used only while the account it was written from is
//! unchanged (compared, not hashed), so a listing is byte for byte what
//! serialising it afresh writes; `tests` holds both side by side.

use super::wire::{AccountItem, MemberItem};
use crate::model::Account;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::RwLock;

/// The kept texts, by account id.
#[derive(Default)]
pub struct KeptTexts {
    kept: RwLock<HashMap<u64, Kept>>,
}

struct Kept {
    /// The account as it was when its texts were written.
    account: Account,
    /// `"id":…,"username":…,…` without the braces: `AccountItem`'s fields.
    fields: Box<[u8]>,
    /// The member's `email`, as a JSON string.
    email: Box<[u8]>,
}

impl Kept {
    fn new(account: &Account) -> Kept {
        let whole = serde_json::to_vec(&AccountItem::from(account)).expect("an account serialises");
        Kept {
            account: account.clone(),
            fields: whole[1..whole.len() - 1].into(),
            email: serde_json::to_vec(&account.email()).expect("a string serialises").into(),
        }
    }

    /// Whether the texts still say what `account` would: the whole account
    /// is compared, so a field the API writes later is never missed here.
    fn still_for(&self, account: &Account) -> bool {
        self.account == *account
    }
}

impl KeptTexts {
    /// Drops a deleted account's texts: kept texts would otherwise grow with
    /// every account ever listed.
    pub fn forget(&self, account: u64) {
        self.kept.write().unwrap_or_else(|e| e.into_inner()).remove(&account);
    }

    /// `{"status":"ok","results":[…]}` for these members: what
    /// `serde_json::to_vec(&Listing::ok(members))` writes, from kept texts.
    #[cfg(test)]
    pub fn members_listing(&self, members: &[MemberItem]) -> Vec<u8> {
        self.members_listing_spans(members).0
    }

    /// `members_listing`, with where each member's text lies in it.
    pub fn members_listing_spans(&self, members: &[MemberItem]) -> (Vec<u8>, Vec<Range<usize>>) {
        self.listing(members.iter(), write_member)
    }

    /// One member's text, as `members_listing` writes it.
    pub fn write_one_member(&self, out: &mut Vec<u8>, member: &MemberItem) {
        self.write_one(out, &member, write_member);
    }

    /// One account's text, as `accounts_listing` writes it.
    pub fn write_one_account(&self, out: &mut Vec<u8>, account: &Account) {
        self.write_one(out, &account, write_account);
    }

    fn write_one<T: Accounted>(&self, out: &mut Vec<u8>, item: &T, write: impl Fn(&mut Vec<u8>, &Kept, &T)) {
        let account = item.account();
        if let Some(texts) = self.kept.read().unwrap_or_else(|e| e.into_inner()).get(&account.id) {
            if texts.still_for(account) {
                return write(out, texts, item);
            }
        }
        let texts = Kept::new(account);
        write(out, &texts, item);
        self.kept.write().unwrap_or_else(|e| e.into_inner()).insert(account.id, texts);
    }

    /// The listing envelope around one item per entry of `items`, each
    /// written by `write` from its account's kept texts; and where each
    /// item's text lies in it.
    fn listing<T: Accounted>(
        &self,
        items: impl Iterator<Item = T>,
        write: impl Fn(&mut Vec<u8>, &Kept, &T),
    ) -> (Vec<u8>, Vec<Range<usize>>) {
        let mut out = Vec::with_capacity(64 + items.size_hint().0 * 420);
        let mut spans = Vec::with_capacity(items.size_hint().0);
        out.extend_from_slice(br#"{"status":"ok","results":["#);
        let mut fresh = Vec::new();
        {
            let kept = self.kept.read().unwrap_or_else(|e| e.into_inner());
            for (i, item) in items.enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                let start = out.len();
                let account = item.account();
                match kept.get(&account.id).filter(|k| k.still_for(account)) {
                    Some(texts) => write(&mut out, texts, &item),
                    None => {
                        let texts = Kept::new(account);
                        write(&mut out, &texts, &item);
                        fresh.push(texts);
                    }
                }
                spans.push(start..out.len());
            }
        }
        out.extend_from_slice(b"]}");
        if !fresh.is_empty() {
            let mut kept = self.kept.write().unwrap_or_else(|e| e.into_inner());
            kept.extend(fresh.into_iter().map(|texts| (texts.account.id, texts)));
        }
        (out, spans)
    }
}

/// What a listing's item is written from.
trait Accounted {
    fn account(&self) -> &Account;
}

impl Accounted for &MemberItem<'_> {
    fn account(&self) -> &Account {
        MemberItem::account(self)
    }
}

impl Accounted for &Account {
    fn account(&self) -> &Account {
        self
    }
}

impl KeptTexts {
    /// `{"status":"ok","results":[…]}` for an organisation's accounts: what
    /// `serde_json::to_vec(&Listing::ok(accounts.map(AccountItem::listed)))`
    /// writes, from kept texts.
    #[cfg(test)]
    pub fn accounts_listing<'a>(&self, accounts: impl Iterator<Item = &'a Account>) -> Vec<u8> {
        self.accounts_listing_spans(accounts).0
    }

    /// `accounts_listing`, with where each account's text lies in it.
    pub fn accounts_listing_spans<'a>(
        &self,
        accounts: impl Iterator<Item = &'a Account>,
    ) -> (Vec<u8>, Vec<Range<usize>>) {
        self.listing(accounts, write_account)
    }
}

/// One account, in `AccountItem::listed`'s field order.
fn write_account(out: &mut Vec<u8>, texts: &Kept, account: &&Account) {
    out.push(b'{');
    out.extend_from_slice(&texts.fields);
    out.extend_from_slice(br#","org_role":"#);
    serde_json::to_writer(&mut *out, account.role.as_str()).expect("a string serialises");
    out.push(b'}');
}

/// One member, in `MemberItem`'s field order.
fn write_member(out: &mut Vec<u8>, texts: &Kept, member: &&MemberItem) {
    out.push(b'{');
    out.extend_from_slice(&texts.fields);
    out.extend_from_slice(br#","role":"#);
    serde_json::to_writer(&mut *out, member.role_text()).expect("a string serialises");
    out.extend_from_slice(br#","hasSensitiveAccess":false,"target_type":"#);
    serde_json::to_writer(&mut *out, member.target_type()).expect("a string serialises");
    out.extend_from_slice(br#","role_order":"#);
    out.extend_from_slice(member.role_order().to_string().as_bytes());
    out.extend_from_slice(br#","email":"#);
    out.extend_from_slice(&texts.email);
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;
    use crate::routes::wire::Listing;
    use chrono::{TimeZone, Utc};

    fn account(id: u64) -> Account {
        let at = Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap();
        Account {
            id,
            organization_id: 1,
            username: format!("job-{id}.a1b2c3.mp-service-account"),
            secret: "s".into(),
            role: Role::Analyst,
            created: at,
            creator: id.is_multiple_of(2).then_some(7),
            creator_email: id.is_multiple_of(3).then(|| "ann@example.com".into()),
            creator_name: id.is_multiple_of(3).then(|| "Ann \"the admin\" Lee".into()),
            last_used: id.is_multiple_of(4).then_some(at),
            expires: None,
            user: 900 + id,
            other_orgs: Default::default(),
        }
    }

    fn members(accounts: &[Account]) -> Vec<MemberItem<'_>> {
        accounts
            .iter()
            .map(|a| match a.id % 3 {
                0 => MemberItem::new(a, Role::Admin, "organization"),
                1 => MemberItem::new(a, Role::Consumer, "team"),
                _ => MemberItem::new(a, Role::Analyst, "individual").with_role_name("Custom \u{e9}diteur"),
            })
            .collect()
    }

    #[test]
    fn a_listing_from_kept_texts_is_what_serialising_writes() {
        let texts = KeptTexts::default();
        let mut accounts: Vec<Account> = (1..=12).map(account).collect();
        for round in 0..3 {
            let fresh = serde_json::to_vec(&Listing::ok(members(&accounts))).unwrap();
            assert_eq!(
                String::from_utf8(texts.members_listing(&members(&accounts))).unwrap(),
                String::from_utf8(fresh).unwrap(),
                "round {round}"
            );
            // Changes the kept texts must notice.
            accounts[0].last_used = Some(Utc.with_ymd_and_hms(2026, 5, 6, 7, 8, round).unwrap());
            accounts[1].username = format!("renamed-{round}.a1b2c3.mp-service-account");
            accounts[2].expires = Some(Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, round).unwrap());
            accounts[3].creator_name = Some(format!("Name {round}"));
        }
    }

    #[test]
    fn an_account_list_from_kept_texts_is_what_serialising_writes() {
        let texts = KeptTexts::default();
        let mut accounts: Vec<Account> = (1..=12).map(account).collect();
        accounts[4].role = Role::Owner;
        // Kept first by a project listing, then reused with `org_role`.
        texts.members_listing(&members(&accounts));
        for round in 0..2 {
            let fresh = serde_json::to_vec(&Listing::ok(accounts.iter().map(AccountItem::listed).collect())).unwrap();
            assert_eq!(
                String::from_utf8(texts.accounts_listing(accounts.iter())).unwrap(),
                String::from_utf8(fresh).unwrap(),
                "round {round}"
            );
            accounts[5].last_used = Some(Utc.with_ymd_and_hms(2026, 5, 6, 7, 8, round).unwrap());
            accounts[6].role = Role::Consumer;
        }
    }

    #[test]
    fn a_deleted_accounts_texts_are_forgotten() {
        let texts = KeptTexts::default();
        let mut accounts: Vec<Account> = (1..=12).map(account).collect();
        texts.members_listing(&members(&accounts));
        let kept = |texts: &KeptTexts| texts.kept.read().unwrap().len();
        assert_eq!(kept(&texts), 12);
        let gone = accounts.remove(3);
        texts.forget(gone.id);
        assert_eq!(kept(&texts), 11);
        let fresh = serde_json::to_vec(&Listing::ok(members(&accounts))).unwrap();
        assert_eq!(texts.members_listing(&members(&accounts)), fresh);
        assert_eq!(kept(&texts), 11, "nothing written anew for the accounts still kept");
    }

    #[test]
    fn an_empty_listing_is_written_as_one() {
        let texts = KeptTexts::default();
        let none: Vec<MemberItem> = Vec::new();
        assert_eq!(texts.members_listing(&none), serde_json::to_vec(&Listing::ok(none)).unwrap());
    }
}
