//! The store's reads do not wait for its writes: a long write (a 10,000-row
//! sync, an import) must not stall the UI's reads, which see the last
//! committed state. And a read connection cannot write.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use wxdesk_core::store::Store;

#[test]
fn a_read_completes_while_a_ten_thousand_row_sync_is_writing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("desk.db")).unwrap());
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO components (appid, name, created_at, updated_at) VALUES ('wx00000000000000c1', 'P', 1, 1)",
                [],
            )?;
            Ok(())
        })
        .unwrap();

    let (started_tx, started_rx) = mpsc::channel::<()>();
    let (read_done_tx, read_done_rx) = mpsc::channel::<()>();
    let write_finished = Arc::new(AtomicBool::new(false));
    let writer = {
        let store = store.clone();
        let write_finished = write_finished.clone();
        std::thread::spawn(move || {
            store
                .write(|tx| {
                    for i in 0..10_000 {
                        tx.execute(
                            "INSERT INTO authorizers (component_appid, appid, updated_at) VALUES ('wx00000000000000c1', ?1, 1)",
                            [format!("wx{i:016x}")],
                        )?;
                    }
                    started_tx.send(()).ok();
                    // Hold the transaction open until the read is done (or give up).
                    let _ = read_done_rx.recv_timeout(Duration::from_secs(10));
                    write_finished.store(true, Ordering::SeqCst);
                    Ok(())
                })
                .unwrap();
        })
    };

    started_rx.recv_timeout(Duration::from_secs(60)).unwrap();
    let seen: i64 = store
        .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM authorizers", [], |r| r.get(0))?))
        .unwrap();
    assert!(
        !write_finished.load(Ordering::SeqCst),
        "the read waited for the write to finish"
    );
    assert_eq!(
        seen, 0,
        "a read sees the last committed state, not a write in progress"
    );
    read_done_tx.send(()).unwrap();
    writer.join().unwrap();

    let after: i64 = store
        .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM authorizers", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(
        after, 10_000,
        "once committed, the rows are visible to the next read"
    );
}

#[test]
fn a_reader_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    let err = store
        .read(|c| {
            c.execute("INSERT INTO settings (key, value) VALUES ('x', '1')", [])?;
            Ok(())
        })
        .unwrap_err();
    assert!(
        err.to_string().to_lowercase().contains("readonly") || err.to_string().contains("read"),
        "{err}"
    );
    let n: i64 = store
        .read(|c| {
            Ok(
                c.query_row("SELECT COUNT(*) FROM settings WHERE key = 'x'", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap();
    assert_eq!(n, 0);
}
