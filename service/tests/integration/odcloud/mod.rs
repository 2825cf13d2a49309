//! The Applyhome client and the subscription tools against the api.odcloud.kr stand-in.

mod client;
mod errors;
mod tools;
