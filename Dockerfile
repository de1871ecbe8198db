# Reparto container image: a static Go binary on a distroless base.
#
# The binary embeds templates, static files (including vendored Leaflet and
# Chart.js), geodata and migrations, so the final image holds nothing else.
# SQLite is pure Go (modernc.org/sqlite), hence CGO_ENABLED=0 and a static
# binary that needs no libc.

FROM golang:1.26 AS build
WORKDIR /src
# Dependencies first so source edits do not invalidate the module cache layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /reparto ./cmd/reparto

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /reparto /usr/local/bin/reparto
# Without DATABASE_URL the app uses ./reparto.db (SQLite); the nonroot user
# (uid 65532) can write to its home directory.
WORKDIR /home/nonroot
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/reparto", "serve", "--addr", ":8080"]
