//! `attendance`, the variables of a pack page whose sessions have codes
//! (docs/theming.md): what `attendance.js` needs to check a code and to
//! make the record's token, and never the code itself.

use serde::Serialize;

use super::schedule_view::SessionView;
use crate::attendance::{site_id, token};
use crate::content::{Pack, Site};

/// `attendance` on a pack page; absent when no session has a code.
#[derive(Serialize)]
pub struct AttendanceView<'a> {
    /// The site's identity, bound into every token.
    pub site_id: String,
    pub iterations: u32,
    /// The pack's credit hours exactly as the page shows them: the
    /// token binds this text.
    pub hours: String,
    pub categories: &'a [String],
    pub ceu: Option<String>,
    pub sponsor_name: Option<&'a str>,
    pub sponsor_number: Option<&'a str>,
    /// The sessions with a code, in date order.
    pub sessions: Vec<SessionCodeView>,
}

/// One of `attendance.sessions`.
#[derive(Serialize)]
pub struct SessionCodeView {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// As the page lists the session: "Tue 15 Sept, 3:30–4:30 pm, …".
    pub label: String,
    pub place: Option<String>,
    pub online: bool,
    pub facilitator: Option<String>,
    /// Hex, from [`token::proof`].
    pub salt: String,
    pub verifier: String,
}

impl<'a> AttendanceView<'a> {
    pub fn new(pack: &'a Pack, site: &'a Site) -> Option<Self> {
        let proofs = site.attendance.get(&pack.slug)?;
        let config = &site.config;
        let sessions: Vec<SessionCodeView> = proofs
            .iter()
            .filter_map(|proof| {
                let session = pack
                    .workshop
                    .sessions
                    .iter()
                    .find(|s| s.slot.date.to_string() == proof.date)?;
                Some(SessionCodeView {
                    date: proof.date.clone(),
                    label: SessionView::new(session).label,
                    place: session.place.clone(),
                    online: session.online.is_some(),
                    facilitator: session.facilitator.clone(),
                    salt: proof.salt.clone(),
                    verifier: proof.verifier.clone(),
                })
            })
            .collect();
        if sessions.is_empty() {
            return None;
        }
        Some(AttendanceView {
            site_id: site_id(config),
            iterations: token::ITERATIONS,
            hours: pack.credit.credit_hours.to_string(),
            categories: &pack.record.categories,
            ceu: config
                .ceu
                .then(|| config.credit.ceu(pack.credit.credit_hours).to_string()),
            sponsor_name: config.sponsor.as_ref().map(|s| s.name.as_str()),
            sponsor_number: config.sponsor.as_ref().and_then(|s| s.number.as_deref()),
            sessions,
        })
    }
}
