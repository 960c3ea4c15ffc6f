//! Writes every outbound WeChat call to the call log (in progress).

use std::sync::Arc;

use wxdesk_wechat::{CallObserver, CallRecord};

use crate::store::Store;

/// The call-log writer handed to the WeChat client.
pub struct CallRecorder {
    #[allow(dead_code)]
    store: Arc<Store>,
}

impl CallRecorder {
    /// A recorder writing into `store`.
    pub fn new(store: Arc<Store>) -> Self {
        CallRecorder { store }
    }
}

impl CallObserver for CallRecorder {
    fn record(&self, _record: CallRecord) {}
}
