//! Tool declarations: names, titles, descriptions and annotations, each a thin call into
//! [`crate::tools`].

use rmcp::tool_router;

use super::RealEstateServer;

#[tool_router(vis = "pub(super)", allow_empty)]
impl RealEstateServer {}
