// A lint-clean 8-bit registered adder: every width matches and every input is used.
module clean_adder (
    input  wire       clk,
    input  wire [7:0] a,
    input  wire [7:0] b,
    output reg  [8:0] sum
);
    always @(posedge clk) begin
        sum <= {1'b0, a} + {1'b0, b};
    end
endmodule
