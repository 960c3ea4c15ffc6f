//! The hostile-input campaign: a table of inputs an attacker, a broken
//! gateway or a clumsy paste can produce, each run against the real `wxdesk`
//! binary (and `wxdesk serve`, and the sandbox's fault hooks).
//!
//! Every row ends in one of two ways: a clear error whose kind is asserted
//! and whose message names the field at fault, or a correct result. For every
//! row, whatever the outcome: no panic, nothing of the fixture's secrets in
//! anything printed or answered, and (checked per section) nothing lost from
//! the desk.
//!
//! Sections: [`flags`] (CLI flags), [`serve`] (HTTP to browser mode), [`push`]
//! (push bodies), [`decrypt`] (open data), [`import`] (import files),
//! [`upstream`] (sandbox faults).

#[path = "../common/mod.rs"]
mod common;

mod decrypt;
mod flags;
mod harness;
mod import;
mod push;
mod serve;
mod upstream;

use harness::{run_section, Fx};

#[test]
fn hostile_inputs() {
    let fx = Fx::start();
    let mut total = 0;
    for (name, cases) in [
        ("flags", flags::cases(&fx)),
        ("push", push::cases(&fx)),
        ("decrypt", decrypt::cases(&fx)),
        ("import", import::cases(&fx)),
        ("upstream", upstream::cases(&fx)),
        ("serve", serve::cases(&fx)),
    ] {
        total += run_section(&fx, name, cases);
    }
    fx.assert_nothing_lost();
    println!("hostile inputs: {total} cases");
    assert!(
        total >= 150,
        "the campaign has {total} cases, fewer than 150"
    );
}
