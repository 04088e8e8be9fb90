//! Key handling: turns this frame's key presses, typed label keys, pastes
//! and dropped files into commands. It changes nothing itself.

use super::app::{App, is_text_file};
use super::commands::{KeyContext, UiCommand, command_for, shortcuts_by_precedence};
use super::files::DialogPurpose;
use std::path::PathBuf;

impl App {
    /// Queues the commands of this frame's keys (not while a dialog is up:
    /// it reads its own keys).
    pub(super) fn handle_keys(&mut self, ctx: &egui::Context) {
        if self.modal.is_some() {
            return;
        }
        // Esc closes an open menu first, and does nothing else.
        if egui::Popup::is_any_open(ctx)
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            egui::Popup::close_all(ctx);
            return;
        }
        // Only a text field keeps the keyboard. egui would otherwise move
        // its focus to buttons on Tab (and arrows), after which plain keys
        // stop working and Space presses the focused button. So on those
        // keys (only: a click must still open a menu), outside text fields
        // and menus, no widget keeps or takes the focus.
        let typing = ctx.text_edit_focused() || self.was_typing;
        let navigation_key = ctx.input(|i| {
            i.events.iter().any(|e| {
                matches!(
                    e,
                    egui::Event::Key {
                        key: egui::Key::Tab
                            | egui::Key::Space
                            | egui::Key::Enter
                            | egui::Key::ArrowUp
                            | egui::Key::ArrowDown
                            | egui::Key::ArrowLeft
                            | egui::Key::ArrowRight,
                        pressed: true,
                        ..
                    }
                )
            })
        });
        if !typing && navigation_key && !egui::Popup::is_any_open(ctx) {
            ctx.memory_mut(|m| {
                if let Some(id) = m.focused() {
                    m.surrender_focus(id);
                }
                m.move_focus(egui::FocusDirection::None);
            });
        }
        for (shortcut, binding) in shortcuts_by_precedence() {
            if typing && binding.context != KeyContext::Global {
                continue;
            }
            if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                let command = command_for(binding, &shortcut);
                let takes_keyboard = command.takes_the_keyboard();
                self.queue.push(command);
                if takes_keyboard {
                    // What else was typed in this frame is not for the
                    // workbench (a digit would tag, `x` reject).
                    ctx.input_mut(|i| {
                        i.events.retain(|e| {
                            !matches!(e, egui::Event::Key { .. } | egui::Event::Text(_))
                        })
                    });
                    return;
                }
            }
        }
        if typing {
            return;
        }
        // eframe turns Ctrl+V (and Ctrl+Shift+V) into a Paste event with the
        // clipboard text, not a key press: outside a text field, that text
        // becomes a new article (the paste dialog asks for the title).
        let pasted = ctx.input(|i| {
            i.events.iter().find_map(|e| match e {
                egui::Event::Paste(t) => Some(t.clone()),
                _ => None,
            })
        });
        if let Some(text) = pasted {
            self.queue.push(UiCommand::PasteText(text));
            return;
        }
        if let Some(label) = self.typed_label(ctx) {
            self.queue.push(UiCommand::Tag(label));
        }
    }

    /// A label whose hotkey was typed this frame. Label hotkeys come as
    /// text events so that any character works, on any keyboard layout.
    fn typed_label(&self, ctx: &egui::Context) -> Option<crate::model::LabelId> {
        let ws = self.ws.as_ref()?;
        ctx.input(|i| {
            i.events.iter().find_map(|e| {
                let egui::Event::Text(t) = e else { return None };
                let mut chars = t.chars();
                let (Some(c), None) = (chars.next(), chars.next()) else {
                    return None;
                };
                // A key the workbench uses for a command runs only the
                // command (the Labels dialog refuses such keys; a file
                // written elsewhere may still have one).
                if super::commands::command_on_typed_key(c).is_some() {
                    return None;
                }
                ws.project
                    .labels()
                    .iter()
                    .find(|l| l.hotkey == Some(c))
                    .map(|l| l.id.clone())
            })
        })
    }

    /// Files dropped on the window: a project opens (asking about unsaved
    /// changes), .txt files are added as articles.
    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        // Articles and folders of articles are added; anything else opens.
        let (texts, others): (Vec<PathBuf>, Vec<PathBuf>) = dropped
            .into_iter()
            .partition(|p| is_text_file(p) || p.is_dir());
        if let Some(project) = others.into_iter().next() {
            self.queue.push(UiCommand::OpenPath(project));
        } else if !texts.is_empty() {
            self.queue
                .push(UiCommand::UsePaths(DialogPurpose::AddArticles, texts));
        }
    }

    /// A close request from the window manager: ask about unsaved changes.
    pub(super) fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        if self.ws.as_ref().is_some_and(|w| w.is_dirty()) && !self.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.queue.push(UiCommand::Quit);
        } else {
            self.forget_recovery_on_clean_exit();
        }
    }
}
