// Package assets embeds everything the binary ships: HTML templates,
// static files (our own and vendored browser libraries), the demo campaign,
// geodata, the fonts of printed documents and SQL migrations. The binary
// therefore runs offline with no files beside it.
package assets

import "embed"

// FS holds templates/, static/, data/, geo/, migrations/, i18n/ and fonts/.
//
//go:embed templates static data geo migrations i18n fonts
var FS embed.FS
