//! `login`, `phone`, `checksession`, `login sessions` and `decrypt data
//! --openid`: a mini program's user calls, as the `login`, `phone`,
//! `checksession`, `sessions` and `decrypt_data` operations.
//!
//! A login stores the session (its session_key sealed), so later commands
//! can check or decrypt with it by openid instead of a pasted key. The
//! session_key is printed masked unless `--reveal`.

use wxdesk_core::ops::args::{
    CheckSessionArgs, DecryptDataArgs as DecryptStoredArgs, LoginArgs as LoginOpArgs,
    PhoneArgs as PhoneOpArgs, SessionsArgs,
};
use wxdesk_core::ops::handlers as op;

use super::Ctx;
use crate::cli::{ChecksessionArgs, DecryptDataArgs, LoginArgs, LoginCommand, PhoneArgs};
use crate::output::CliError;
use crate::text::{self, Table};

/// `login --appid A --code CODE [--component C]` and `login sessions`.
pub async fn login(ctx: &Ctx<'_>, a: LoginArgs) -> Result<(), CliError> {
    let out = ctx.out;
    if let Some(LoginCommand::Sessions(s)) = a.command {
        let list = op::sessions(ctx.rt()?, SessionsArgs { appid: s.appid }).await?;
        let mut t = Table::new(&[
            "APPID",
            "OPENID",
            "UNIONID",
            "SESSION_KEY",
            "VIA",
            "CREATED",
        ]);
        for r in &list {
            t.row(vec![
                r.appid.clone(),
                r.openid.clone(),
                text::opt(r.unionid.as_deref()),
                r.session_key_masked.clone(),
                text::opt(r.via_component.as_deref()),
                text::time(r.created_at),
            ]);
        }
        return out.view(
            &list,
            &t.render(
                "no sessions stored; log a user in with `wxdesk login --appid A --code CODE`",
            ),
        );
    }
    let usage = "Usage: wxdesk login --appid A --code CODE [--component C]";
    let appid = a.appid.ok_or_else(|| {
        CliError::missing(
            "the following required arguments were not provided: --appid <APPID>",
            usage,
        )
    })?;
    let code = a.code.ok_or_else(|| {
        CliError::missing(
            "the following required arguments were not provided: --code <CODE>",
            usage,
        )
    })?;
    let v = op::login(
        ctx.rt()?,
        LoginOpArgs {
            appid,
            code,
            component_appid: a.component,
            reveal: ctx.g.reveal,
        },
    )
    .await?;
    let text = format!(
        "appid:       {}\nopenid:      {}\nunionid:     {}\nsession_key: {}{}\nvia:         {}\nstored at:   {}",
        v.appid,
        v.openid,
        text::opt(v.unionid.as_deref()),
        v.session_key,
        if v.revealed { "" } else { "  (masked; add --reveal to print it)" },
        v.via_component
            .as_deref()
            .map(|c| format!("platform {c} (sns/component/jscode2session)"))
            .unwrap_or_else(|| "the app's own secret (sns/jscode2session)".into()),
        text::time(v.created_at),
    );
    out.view(&v, &text)
}

/// `phone --appid A --code CODE`.
pub async fn phone(ctx: &Ctx<'_>, a: PhoneArgs) -> Result<(), CliError> {
    let v = op::phone(
        ctx.rt()?,
        PhoneOpArgs {
            appid: a.appid,
            code: a.code,
            component_appid: a.component,
        },
    )
    .await?;
    if !v.watermark_ok {
        ctx.out.warn(&format!(
            "the watermark names {}, not {}: the code was issued for another mini program",
            v.watermark_appid, v.appid
        ));
    }
    let text = format!(
        "phone:        {}\npure number:  {}\ncountry code: {}\nwatermark:    {} at {}{}",
        v.phone_number,
        v.pure_phone_number,
        v.country_code,
        v.watermark_appid,
        text::time(v.watermark_timestamp),
        if v.watermark_ok { "" } else { " (MISMATCH)" }
    );
    ctx.out.view(&v, &text)
}

/// `checksession --appid A --openid O`.
pub async fn checksession(ctx: &Ctx<'_>, a: ChecksessionArgs) -> Result<(), CliError> {
    let v = op::checksession(
        ctx.rt()?,
        CheckSessionArgs {
            appid: a.appid,
            openid: a.openid,
            component_appid: a.component,
        },
    )
    .await?;
    let text = if v.valid {
        format!(
            "{} / {}: the stored session_key (from {}) is current",
            v.appid,
            v.openid,
            text::time(v.session_created_at)
        )
    } else {
        format!(
            "{} / {}: the stored session_key (from {}) is NO LONGER current (87009); a newer wx.login replaced it — log the user in again",
            v.appid,
            v.openid,
            text::time(v.session_created_at)
        )
    };
    ctx.out.view(&v, &text)
}

/// `decrypt data --appid A --openid O --iv IV --data D` (stored session key).
pub async fn decrypt_stored(ctx: &Ctx<'_>, a: DecryptDataArgs) -> Result<(), CliError> {
    let usage =
        "Usage: wxdesk decrypt data (--session-key KEY | --appid A --openid O) --iv IV --data D";
    let openid = a.openid.ok_or_else(|| {
        CliError::missing(
            "the following required arguments were not provided: --session-key <SESSION_KEY> or --openid <OPENID>",
            usage,
        )
    })?;
    let appid = a.appid.ok_or_else(|| {
        CliError::missing(
            "the following required arguments were not provided: --appid <APPID>",
            usage,
        )
    })?;
    let v = op::decrypt_data(
        ctx.rt()?,
        DecryptStoredArgs {
            appid,
            openid,
            iv: a.iv,
            data: a.data,
        },
    )
    .await?;
    for r in &v.repairs {
        ctx.out.note(&format!("{}: {}", r.field, r.what));
    }
    if !v.watermark_ok {
        ctx.out.warn(&format!(
            "the watermark names {}, not {}: the data was made for another mini program",
            v.watermark_appid.as_deref().unwrap_or("no appid"),
            v.appid
        ));
    }
    let pretty = serde_json::to_string_pretty(&v.json).unwrap_or_default();
    ctx.out.view(&v, &pretty)
}
