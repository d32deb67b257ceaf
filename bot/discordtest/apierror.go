package discordtest

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Discord's JSON error codes used by the fake. The numbers are Discord's own,
// so a bot that branches on RESTError.Message.Code behaves the same here.
const (
	CodeUnknownChannel      = 10003
	CodeUnknownApplication  = 10002
	CodeUnknownGuild        = 10004
	CodeUnknownMessage      = 10008
	CodeUnknownWebhook      = 10015
	CodeUnknownInteraction  = 10062
	CodeUnauthorized        = 0
	CodeMissingAccess       = 50001
	CodeEmptyMessage        = 50006
	CodeInvalidWebhookToken = 50027
	CodeInvalidFormBody     = 50035
	CodeAlreadyAcknowledged = 40060
	CodeInvalidJSON         = 50109
)

// apiError is the body Discord sends with every 4xx/5xx answer.
type apiError struct {
	Message string `json:"message"`
	Code    int    `json:"code"`
	Errors  any    `json:"errors,omitempty"`
}

// writeJSON answers with status and v encoded as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"message":"fake: cannot encode response","code":0}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError answers with a Discord-style error body.
func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, apiError{Message: msg, Code: code})
}

// writeNotFound answers like Discord does for a route it does not know.
func writeNotFound(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, 0, "404: Not Found")
}
