//! What every HTTP stand-in runs on: a server on a loopback port the kernel picks, one
//! worker, no signal handling and no grace period, stopped when its owner is dropped; and the
//! lock its state is shared under.

use std::net::{SocketAddr, TcpListener};
use std::sync::{Mutex, MutexGuard, PoisonError};

use actix_web::{App, HttpServer, dev::ServerHandle, web};

/// A running stand-in server; stopped when dropped.
pub(crate) struct Server {
    handle: ServerHandle,
}

impl Server {
    /// Binds 127.0.0.1 on a free port. The listener comes first so that a stand-in can put
    /// its own address into the state its routes serve.
    pub(crate) fn bind() -> std::io::Result<(TcpListener, SocketAddr)> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        Ok((listener, addr))
    }

    /// Serves `routes` on `listener` from a task on the current tokio runtime.
    pub(crate) fn start<F>(listener: TcpListener, routes: F) -> std::io::Result<Self>
    where
        F: Fn(&mut web::ServiceConfig) + Send + Clone + 'static,
    {
        let server = HttpServer::new(move || App::new().configure(routes.clone()))
            .workers(1)
            .disable_signals()
            .shutdown_timeout(0)
            .listen(listener)?
            .run();
        let handle = server.handle();
        tokio::spawn(server);
        Ok(Self { handle })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // `stop` sends the command at once; its future only waits for completion.
        drop(self.handle.stop(false));
    }
}

/// Locks state shared with the server. A poisoned lock only means another test thread
/// panicked while holding it; the data is still usable, and that panic is the failure to see.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
