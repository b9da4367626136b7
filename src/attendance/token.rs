//! The cryptography of attendance codes: what a site publishes per
//! session (a salt and a verifier) and the token a teacher's record
//! carries, all from a session's code.
//!
//! The browser computes the same values in `themes/default/static/attendance.js`;
//! the two must agree byte for byte, which `tests/browser_attendance.rs`
//! checks. docs/attendance.md explains the scheme to PD offices.

use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};

/// PBKDF2 rounds per guess. Chosen so that checking one code takes about
/// a tenth of a second in a browser with `crypto.subtle`, and about half
/// a second with the page's own SHA-256 (pages over plain http://): a
/// teacher waits once, while trying every 6-character code in a browser
/// takes years. docs/attendance.md gives the measured figures.
pub const ITERATIONS: u32 = 200_000;

/// The fewest letters and digits a code may have once normalised.
pub const MIN_CODE_LEN: usize = 6;

/// Bumped if the canonical text of a record ever changes, so an old
/// token is never read under new rules.
const TOKEN_VERSION: &str = "flippack-attendance-v1";

/// A session's code as compared: upper case, without spaces and dashes,
/// so `oak 4821` and `OAK-4821` are one code. `None` when what is left
/// is not only ASCII letters and digits (the browser and flippack must
/// normalise alike, and case rules beyond ASCII differ between them).
pub fn normalise(code: &str) -> Option<String> {
    let kept: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    kept.chars()
        .all(|c| c.is_ascii_alphanumeric())
        .then_some(kept)
}

/// Which session a code belongs to: the site, the pack and the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionId<'a> {
    pub site: &'a str,
    pub pack: &'a str,
    /// `YYYY-MM-DD`.
    pub date: &'a str,
}

/// The salt published for a session. It is derived, not drawn at random,
/// so that a rebuild with the same codes writes the same pages; a salt
/// need only differ from every other site's and session's, which the site
/// id, pack and date already make it. It does not depend on the code, so
/// it tells nothing about it.
pub fn salt(session: SessionId<'_>) -> [u8; 16] {
    let digest = Sha256::new()
        .chain_update(b"flippack-salt\n")
        .chain_update(session_text(session))
        .finalize();
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&digest[..16]);
    salt
}

/// The session's key: the slow hash of its normalised code. Whoever can
/// compute it knew the code.
pub fn key(normalised_code: &str, session: SessionId<'_>, salt: &[u8]) -> [u8; 32] {
    let mut input = salt.to_vec();
    input.extend_from_slice(session_text(session).as_bytes());
    pbkdf2_sha256(normalised_code.as_bytes(), &input, ITERATIONS)
}

/// PBKDF2-HMAC-SHA256 with one 32-byte block of output (RFC 8018).
///
/// The rounds run on sha2's block function with the HMAC pads hashed
/// once, two blocks a round: the generic `pbkdf2` crate would be compiled
/// into this crate unoptimised in debug builds and tests, where 200,000
/// rounds then take a second a session. A test holds it to that crate.
fn pbkdf2_sha256(password: &[u8], salt: &[u8], rounds: u32) -> [u8; 32] {
    use sha2::block_api::compress256;
    const IV: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut block_key = [0u8; 64];
    if password.len() > 64 {
        block_key[..32].copy_from_slice(&Sha256::digest(password));
    } else {
        block_key[..password.len()].copy_from_slice(password);
    }
    let pad = |byte: u8| {
        let mut state = IV;
        let block: [u8; 64] = std::array::from_fn(|i| block_key[i] ^ byte);
        compress256(&mut state, &[block]);
        state
    };
    let (inner, outer) = (pad(0x36), pad(0x5c));
    // U1 = HMAC(password, salt ‖ INT(1)).
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(password)
        .expect("HMAC takes a key of any length");
    mac.update(salt);
    mac.update(&1u32.to_be_bytes());
    let mut u: [u8; 32] = mac.finalize().into_bytes().into();
    let mut result = u;
    // Each later U is HMAC of the 32 bytes before it: after the pad's
    // block, one block of 32 bytes, 0x80, zeros and the length in bits
    // of pad and message (96 bytes). Plain index loops: this runs
    // 200,000 times, and iterator adapters cost much in debug builds.
    let mut block = [[0u8; 64]];
    block[0][32] = 0x80;
    block[0][56..].copy_from_slice(&(96u64 * 8).to_be_bytes());
    let mut round = 1;
    while round < rounds {
        let mut state = inner;
        block[0][..32].copy_from_slice(&u);
        compress256(&mut state, &block);
        write_words(&state, &mut block[0]);
        state = outer;
        compress256(&mut state, &block);
        write_words(&state, &mut u);
        let mut i = 0;
        while i < 32 {
            result[i] ^= u[i];
            i += 1;
        }
        round += 1;
    }
    result
}

/// The state words of SHA-256, big-endian, into the first 32 bytes of `out`.
fn write_words(state: &[u32; 8], out: &mut [u8]) {
    let mut i = 0;
    while i < 8 {
        out[4 * i..4 * i + 4].copy_from_slice(&state[i].to_be_bytes());
        i += 1;
    }
}

/// What the page holds to tell a right code from a wrong one. It is a
/// hash of the key, so it gives away neither the key nor the code.
pub fn verifier(key: &[u8; 32]) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"flippack-verifier")
        .chain_update(key)
        .finalize()
        .into()
}

/// What one attendance record says: the token binds all of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim<'a> {
    pub session: SessionId<'a>,
    /// As entered; leading and trailing white space do not count. It is
    /// compared as written, without Unicode normalisation: the browser
    /// stores what was typed and sends it back unchanged.
    pub name: &'a str,
    /// The pack's credit hours exactly as the site shows them (`3.25`).
    pub hours: &'a str,
}

/// The text a token signs, one field a line.
pub fn canonical(claim: Claim<'_>) -> String {
    format!(
        "{TOKEN_VERSION}\n{}name: {}\nhours: {}\n",
        session_text(claim.session),
        claim.name.trim(),
        claim.hours
    )
}

/// The verification token of a claim, under the session's key.
pub fn token(key: &[u8; 32], claim: Claim<'_>) -> [u8; 32] {
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .expect("HMAC takes a key of any length");
    mac.update(canonical(claim).as_bytes());
    mac.finalize().into_bytes().into()
}

fn session_text(session: SessionId<'_>) -> String {
    format!(
        "site: {}\npack: {}\ndate: {}\n",
        session.site, session.pack, session.date
    )
}

/// Lower-case hexadecimal, as pages and records write bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two hex strings in time independent of where they differ.
pub fn same_hex(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| {
            acc | (x.to_ascii_lowercase() ^ y.to_ascii_lowercase())
        }) == 0
}

/// What a site publishes for one session that has a code: enough to
/// check a code in the browser, nothing to read the code from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionProof {
    /// `YYYY-MM-DD`, one of the pack's session dates.
    pub date: String,
    /// Hex.
    pub salt: String,
    /// Hex.
    pub verifier: String,
}

/// The proofs of a site's sessions, by pack slug, each pack's in date
/// order. Empty when the site has no codes file.
pub type Published = std::collections::BTreeMap<String, Vec<SessionProof>>;

/// The proof of `code` (normalised) for `session`.
pub fn proof(normalised_code: &str, session: SessionId<'_>) -> SessionProof {
    let salt = salt(session);
    let key = key(normalised_code, session, &salt);
    SessionProof {
        date: session.date.to_string(),
        salt: hex(&salt),
        verifier: hex(&verifier(&key)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: SessionId<'static> = SessionId {
        site: "flippack:/:example",
        pack: "ell-communication",
        date: "2026-09-15",
    };

    fn claim() -> Claim<'static> {
        Claim {
            session: SESSION,
            name: "Ana Lopez",
            hours: "3.25",
        }
    }

    fn key_of(code: &str, session: SessionId<'_>) -> [u8; 32] {
        let code = normalise(code).unwrap();
        key(&code, session, &salt(session))
    }

    #[test]
    fn codes_are_normalised() {
        assert_eq!(normalise("oak-4821").as_deref(), Some("OAK4821"));
        assert_eq!(normalise(" Oak 48-21 ").as_deref(), Some("OAK4821"));
        assert_eq!(normalise("OAK_4821"), None);
        assert_eq!(normalise("ÖAK4821"), None);
        assert_eq!(key_of("oak 4821", SESSION), key_of("OAK-4821", SESSION));
    }

    #[test]
    fn the_right_code_makes_the_token_and_a_wrong_one_does_not() {
        let right = key_of("OAK-4821", SESSION);
        let wrong = key_of("OAK-4822", SESSION);
        assert_ne!(verifier(&right), verifier(&wrong));
        assert_ne!(token(&right, claim()), token(&wrong, claim()));
        // The same code for another session is another key.
        let other = SessionId {
            date: "2026-09-16",
            ..SESSION
        };
        assert_ne!(key_of("OAK-4821", other), right);
    }

    #[test]
    fn changing_name_hours_pack_or_session_breaks_the_token() {
        let key = key_of("OAK-4821", SESSION);
        let good = token(&key, claim());
        assert_eq!(
            token(
                &key,
                Claim {
                    name: "  Ana Lopez ",
                    ..claim()
                }
            ),
            good,
            "white space around the name does not count"
        );
        let changed = [
            Claim {
                name: "Ana López",
                ..claim()
            },
            Claim {
                hours: "3.5",
                ..claim()
            },
            Claim {
                session: SessionId {
                    pack: "rti-tier-2",
                    ..SESSION
                },
                ..claim()
            },
            Claim {
                session: SessionId {
                    date: "2026-09-22",
                    ..SESSION
                },
                ..claim()
            },
            Claim {
                session: SessionId {
                    site: "flippack:/:another",
                    ..SESSION
                },
                ..claim()
            },
        ];
        for c in changed {
            assert_ne!(token(&key, c), good, "{c:?}");
        }
    }

    #[test]
    fn salts_are_stable_and_differ_by_session() {
        assert_eq!(salt(SESSION), salt(SESSION));
        let other = SessionId {
            pack: "other",
            ..SESSION
        };
        assert_ne!(salt(SESSION), salt(other));
    }

    #[test]
    fn the_rounds_are_pbkdf2_as_the_pbkdf2_crate_computes_it() {
        for (password, salt, rounds) in [
            (&b"OAK4821"[..], &b"salt and session"[..], 1000),
            (&[b'x'; 100][..], &b""[..], 3),
            (&b"A"[..], &[7u8; 80][..], 1),
        ] {
            let mut expected = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, rounds, &mut expected);
            assert_eq!(pbkdf2_sha256(password, salt, rounds), expected);
        }
    }

    /// Pins the scheme as docs/attendance.md states it (these values were
    /// also computed from that description with Python's hashlib and
    /// hmac): a change would break every record already handed in, and
    /// the browser script is held to the same values.
    #[test]
    fn known_values() {
        let session = SessionId {
            site: "flippack:/:example",
            ..SESSION
        };
        let key = key_of("OAK-4821", session);
        assert_eq!(hex(&salt(session)), "b08b90ce5450d6495dfc97f1321b0b1b");
        assert_eq!(
            hex(&verifier(&key)),
            "147ff82ed3bf542794d5acfa9b92b6423ff728819f29dca13c71030e7c6544f0"
        );
        let claim = Claim {
            session,
            name: "Ana Lopez",
            hours: "3.25",
        };
        assert_eq!(
            hex(&token(&key, claim)),
            "197c45125cd520d14c7a640dbed199d85c8ccb389f4f1b7303d83e6f7b2d87d8"
        );
        assert!(same_hex(&hex(&key), &hex(&key).to_uppercase()));
        assert!(!same_hex(&hex(&key), &hex(&verifier(&key))));
    }
}
