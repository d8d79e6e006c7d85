;;; check.el --- end-to-end check of http-status-ls under Emacs's Eglot, in batch mode  -*- lexical-binding: t; -*-

;; emacs --batch -q -l tests/editors/eglot/check.el
;;
;; Configures Eglot the way the README says, opens a Python file in a temporary project, and checks
;; that the server's diagnostics reach Flymake at the right column (Eglot counts UTF-16 code units),
;; and that hover and completion answer.  Results go as JSON to $HTTP_STATUS_LS_EGLOT_RESULTS; exit
;; status 0 when all checks pass, 1 when one fails, 2 when Eglot could not connect.
;; $HTTP_STATUS_LS_COMMAND is the server program (default: http-status-ls on PATH).

(require 'eglot)
(require 'flymake)
(require 'json)
(require 'cl-lib)

(defvar check-wait-seconds 20)
(defvar check-results nil)

(defun check-record (name ok detail)
  (push (cons name `((ok . ,(if ok t :json-false)) (detail . ,detail))) check-results))

(defun check-finish (code)
  (let ((path (getenv "HTTP_STATUS_LS_EGLOT_RESULTS")))
    (when (and path (not (string-empty-p path)))
      (with-temp-file path
        (insert (json-encode `((emacs . ,emacs-version) (checks . ,check-results)))))))
  (let ((failed (cl-remove-if (lambda (c) (eq (alist-get 'ok (cdr c)) t)) check-results)))
    (if (or failed (/= code 0))
        (message "http-status-ls Eglot check FAILED: %s"
                 (mapconcat (lambda (c) (format "%s: %S" (car c) (alist-get 'detail (cdr c)))) failed "; "))
      (message "http-status-ls Eglot check passed")))
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (kill-emacs code))

(defun check-wait (predicate)
  "Poll PREDICATE while processing server output; its value, or nil after `check-wait-seconds'."
  (let ((deadline (+ (float-time) check-wait-seconds)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      ;; Batch Emacs runs no idle timers: start Flymake's check by hand, as typing would.
      (when (bound-and-true-p flymake-mode) (flymake-start)))
    value))

(defun check-position-of (needle)
  (save-excursion (goto-char (point-min)) (search-forward needle) (- (point) (length needle))))

(let* ((program (or (getenv "HTTP_STATUS_LS_COMMAND") "http-status-ls"))
       (command (if (string-prefix-p "[" (string-trim program))
                    (append (json-read-from-string program) nil)
                  (list program)))
       (root (file-name-as-directory (make-temp-file "http-status-eglot" t)))
       (file (expand-file-name "app.py" root)))
  ;; The README's setup, with the test's server command.
  (add-to-list 'eglot-server-programs `((python-mode yaml-mode) . ,command))
  (setq eglot-sync-connect check-wait-seconds
        eglot-connect-timeout check-wait-seconds)
  (with-temp-file (expand-file-name "pyproject.toml" root) (insert "[project]\nname = \"pets\"\n"))
  (with-temp-file file
    (insert "from http import HTTPStatus\n\nfrom flask import abort\n\n\n"
            "def legacy():\n    abort(305)\n\n\n"
            "def accents():\n    label = \"é🙂 日本\"; abort(509)\n\n\n"
            "def timeouts(requests, url):\n    requests.get(url, timeout=300)\n"))
  (find-file file)
  (python-mode)
  (condition-case error
      (apply #'eglot--connect (eglot--guess-contact))
    (error (check-record "connect" nil (format "%S" error))))
  (let ((server (check-wait (lambda () (eglot-current-server)))))
    (unless server
      (check-record "connect" nil "no Eglot server for app.py")
      (check-finish 2))
    (check-record "connect" t (format "%S" (process-command (jsonrpc--process server))))

    ;; Diagnostics, through Flymake.
    (let* ((beg (+ (check-position-of "abort(305)") 6))
           (diagnostic (check-wait
                        (lambda ()
                          (cl-find-if (lambda (d) (= (flymake-diagnostic-beg d) beg)) (flymake-diagnostics))))))
      (check-record "diagnostic_deprecated"
                    (and diagnostic
                         (= (flymake-diagnostic-end diagnostic) (+ beg 3))
                         (eq (flymake-diagnostic-type diagnostic) 'eglot-warning)
                         (string-match-p "305 Use Proxy" (flymake-diagnostic-text diagnostic)))
                    (if diagnostic
                        (format "%s %S" (flymake-diagnostic-type diagnostic) (flymake-diagnostic-text diagnostic))
                      (format "none at %d among %S" beg (mapcar #'flymake-diagnostic-beg (flymake-diagnostics))))))

    ;; Eglot counts UTF-16 code units, the server's default: 🙂 is two of them and one Emacs character.
    (let* ((beg (+ (check-position-of "abort(509)") 6))
           (diagnostic (check-wait
                        (lambda ()
                          (cl-find-if (lambda (d) (string-match-p "509" (flymake-diagnostic-text d)))
                                      (flymake-diagnostics))))))
      (check-record "utf16_position"
                    (and diagnostic (= (flymake-diagnostic-beg diagnostic) beg)
                         (= (flymake-diagnostic-end diagnostic) (+ beg 3)))
                    (format "expected %d, got %S" beg (and diagnostic (flymake-diagnostic-beg diagnostic)))))

    (let ((timeout-line (line-number-at-pos (check-position-of "timeout=300"))))
      (check-record "no_diagnostic_on_timeout"
                    (not (cl-find-if (lambda (d) (= (line-number-at-pos (flymake-diagnostic-beg d)) timeout-line))
                                     (flymake-diagnostics)))
                    (format "line %d" timeout-line)))

    ;; Hover and completion, as Eglot sends them.
    (goto-char (+ (check-position-of "abort(305)") 7))
    (let* ((hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
           (contents (and hover (plist-get hover :contents)))
           (text (cond ((stringp contents) contents)
                       ((plist-get contents :value))
                       (t (format "%S" contents)))))
      (check-record "hover" (and text (string-match-p "305 Use Proxy" text)) (and text (substring text 0 (min 120 (length text))))))

    (goto-char (point-max))
    (insert "\nstatus = HTTPStatus.")
    (eglot--signal-textDocument/didChange)
    (let* ((result (jsonrpc-request server :textDocument/completion (eglot--CompletionParams)))
           (items (if (vectorp result) result (plist-get result :items)))
           (labels (mapcar (lambda (item) (plist-get item :label)) items)))
      (check-record "completion" (member "NOT_FOUND" labels) (format "%d items" (length labels))))

    (check-finish (if (cl-every (lambda (c) (eq (alist-get 'ok (cdr c)) t)) check-results) 0 1))))

;;; check.el ends here
